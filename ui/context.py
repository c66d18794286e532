"""The client -> campaign a person is working on, kept in the URL so reloads and links keep it."""

from __future__ import annotations

import streamlit as st

from core.accounts import auth
from core.campaigns import campaigns, clients
from core.campaigns.campaigns import CampaignSummary
from core.models import User
from ui.session import db


def _pick(label: str, options: dict[str, str], param: str, key: str, where) -> str | None:
    """A select whose choice (an id) lives in the query parameter `param`."""
    if not options:
        return None
    ids = list(options)
    current = st.query_params.get(param)
    index = ids.index(current) if current in ids else 0
    chosen = where.selectbox(label, ids, index=index, format_func=options.get, key=key)
    if st.query_params.get(param) != chosen:
        st.query_params[param] = chosen
    return chosen


def _nothing_yet(user: User, what: str) -> str:
    """Where to add one, for those who may; the others are told it is for a creative to do."""
    if auth.can(user, "client.manage"):
        return f"{what}: add one on **Clients & campaigns**."
    return f"{what}: a creative or an admin adds them."


def pick_campaign(user: User, *, key: str, where=None) -> CampaignSummary | None:
    """Client and campaign selects; returns the chosen campaign (with its spend), or None."""
    where = where or st
    with db() as session:
        client_rows = clients.list_clients(session=session, actor=user)
    client_id = _pick(
        "Client", {c.id: c.name for c in client_rows}, "client", f"{key}_client", where
    )
    if client_id is None:
        where.info(_nothing_yet(user, "No clients yet"))
        return None
    with db() as session:
        rows = campaigns.list_campaigns(session=session, actor=user, client_id=client_id)
    by_id = {row.campaign.id: row for row in rows}
    campaign_id = _pick(
        "Campaign", {i: r.campaign.name for i, r in by_id.items()}, "campaign",
        f"{key}_campaign", where,
    )  # fmt: skip
    if campaign_id is None:
        where.info(_nothing_yet(user, "This client has no campaign yet"))
        return None
    return by_id[campaign_id]
