"""The client -> campaign a person is working on: one choice in the sidebar, the context of every
page until changed. It lives in the URL (`?client=...&campaign=...`), so a reload or a shared
link keeps it, and in the sidebar's widgets, so moving to another page (which clears the URL's
parameters) keeps it too. The campaign's spend against its budget is shown under it."""

from __future__ import annotations

import streamlit as st

from core.accounts import auth
from core.campaigns import campaigns, clients
from core.campaigns.campaigns import CampaignSummary
from core.costs import report
from core.costs.budget import WARN_AT
from core.models import Campaign, Client, User
from ui import words
from ui.session import db
from ui.units import usd

CLIENT_KEY, CAMPAIGN_KEY = "context_client", "context_campaign"
CURRENT_KEY = "context_current"  # the campaign id the sidebar settled on in this run
CURRENT_CLIENT_KEY = "context_current_client"  # and the client id (it may have no campaign)


def _pick(label: str, options: dict[str, str], param: str, key: str) -> str | None:
    """A sidebar select whose choice (an id) is also the query parameter `param`.

    The URL names another choice than the one this select last wrote into it when a link
    brought the person here (the Inbox's "Open on Storyboards", a pasted address): the link's
    choice wins over the one kept from the page before. A choice made in the select itself
    leaves the URL as last written, so it stands."""
    if not options:
        return None
    ids = list(options)
    written = f"{key}_written"  # what this select last put in the URL
    current = st.query_params.get(param)
    if st.session_state.get(key) not in ids:
        # No choice yet in this session (or it went away): the URL's, else the first.
        st.session_state.pop(key, None)
        st.session_state[key] = current if current in ids else ids[0]
    elif current in ids and current != st.session_state.get(written):
        st.session_state[key] = current
    chosen = st.sidebar.selectbox(label, ids, format_func=words.distinct(options).get, key=key)
    st.session_state[written] = chosen
    if current != chosen:
        st.query_params[param] = chosen
    return chosen


def _nothing_yet(user: User, what: str) -> str:
    """Where to add one, for those who may; the others are told it is for a creative to do."""
    if auth.can(user, "client.manage"):
        return f"{what}: add one on **Clients & campaigns**."
    return f"{what}: a creative or an admin adds them."


def sidebar(user: User) -> CampaignSummary | None:
    """The working context's selects and its spend against budget, in the sidebar; returns the
    chosen campaign (with its spend), or None when there is none to choose."""
    st.session_state[CURRENT_KEY] = None
    with db() as session:
        client_rows = clients.list_clients(session=session, actor=user)
    client_id = _pick("Client", {c.id: c.name for c in client_rows}, "client", CLIENT_KEY)
    st.session_state[CURRENT_CLIENT_KEY] = client_id
    if client_id is None:
        st.sidebar.info(_nothing_yet(user, "No clients yet"))
        return None
    with db() as session:
        rows = campaigns.list_campaigns(session=session, actor=user, client_id=client_id)
    by_id = {row.campaign.id: row for row in rows}
    names = {i: r.campaign.name for i, r in by_id.items()}
    campaign_id = _pick("Campaign", names, "campaign", CAMPAIGN_KEY)
    if campaign_id is None:
        st.query_params.pop("campaign", None)
        st.sidebar.info(_nothing_yet(user, "This client has no campaign yet"))
        return None
    st.session_state[CURRENT_KEY] = campaign_id
    if auth.can(user, "costs.view"):
        _budget(user, campaign_id)
    return by_id[campaign_id]


def _budget(user: User, campaign_id: str) -> None:
    with db() as session:
        line = report.campaign_budget(session=session, actor=user, campaign_id=campaign_id)
    committed = line.spent_usd + line.in_flight_usd
    if line.budget_usd is None:
        st.sidebar.caption(f"Spent {usd(committed)} · no budget set")
        return
    share = committed / line.budget_usd if line.budget_usd else 1.0
    st.sidebar.progress(min(share, 1.0), text=f"{usd(committed)} of {usd(line.budget_usd)} budget")
    if share >= 1:
        st.sidebar.error("Budget used up: paid work is refused until it is raised.")
    elif share >= WARN_AT:
        st.sidebar.warning(f"{share:.0%} of the budget is spent or in flight.")


def pick_campaign(user: User) -> CampaignSummary | None:
    """The campaign the sidebar's context holds, for a page that works on one; None (and the
    sidebar has said why) when there is none."""
    campaign_id = st.session_state.get(CURRENT_KEY)
    if campaign_id is None:  # the sidebar has said what is missing and where to add it
        return None
    with db() as session:
        campaign = session.get(Campaign, campaign_id)
        client_id = campaign.client_id if campaign else None
        rows = campaigns.list_campaigns(session=session, actor=user, client_id=client_id)
    return next((r for r in rows if r.campaign.id == campaign_id), None)


def pick_client() -> Client | None:
    """The client the sidebar's context holds, for a page that works on a client's things; None
    (and the sidebar has said why) when there is none."""
    client_id = st.session_state.get(CURRENT_CLIENT_KEY)
    if client_id is None:
        return None
    with db() as session:
        return clients.get_client(session=session, client_id=client_id)


def select_campaign(campaign_id: str) -> None:
    """Make `campaign_id` the working context (e.g. "Generate again" from the Gallery): the URL
    points at it and the sidebar's selects forget their choice, so the URL decides."""
    with db() as session:
        campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        return
    st.query_params["client"] = campaign.client_id
    st.query_params["campaign"] = campaign.id
    for key in (CLIENT_KEY, CAMPAIGN_KEY):
        st.session_state.pop(key, None)
