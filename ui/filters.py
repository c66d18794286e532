"""Gallery and job filters whose values live in the URL's query parameters, so a view is a link.

Each widget's state is seeded from the URL when the URL changed from outside (a shared link, the
back button) and written back after the widget is drawn; an empty filter leaves the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from core import catalog
from core.campaigns import campaigns
from core.generation.gallery import GalleryFilter, Page
from core.models import Campaign, Client, Kind, Status, User
from ui import context
from ui.session import db

ANY = ""
KINDS = {ANY: "Any kind", **{k.value: k.value.capitalize() for k in Kind}}
STATUSES = {ANY: "Any status", **{s.value: s.value.capitalize() for s in Status}}


def _seed_from_url(key: str, param: str, parse: Callable[[str | None], object]) -> None:
    raw = st.query_params.get(param)
    marker = f"{key}_url"
    if key not in st.session_state or st.session_state.get(marker) != raw:
        st.session_state[key] = parse(raw)
        st.session_state[marker] = raw


def _publish(key: str, param: str, text: str | None) -> None:
    if text:
        if st.query_params.get(param) != text:
            st.query_params[param] = text
    elif param in st.query_params:
        del st.query_params[param]
    st.session_state[f"{key}_url"] = text or None


def select(
    label: str, options: dict[str, str], *, param: str, key: str, where=st, default: str = ANY
) -> str:
    """A select over `options` (value -> label; ANY means no filter) kept in `param`."""
    fallback = default if default in options else ANY
    _seed_from_url(key, param, lambda raw: raw if raw in options else fallback)
    if st.session_state[key] not in options:  # e.g. a campaign of a client no longer chosen
        st.session_state[key] = fallback
    value = where.selectbox(label, list(options), format_func=options.get, key=key)
    _publish(key, param, value)
    return value


def _parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:  # a hand-edited link: ignore the bad date rather than fail
        return None


def day(label: str, *, param: str, key: str, where=st) -> date | None:
    _seed_from_url(key, param, _parse_date)
    value = where.date_input(label, key=key, format="YYYY-MM-DD")
    _publish(key, param, value.isoformat() if value else None)
    return value


def text(label: str, *, param: str, key: str, where=st) -> str:
    _seed_from_url(key, param, lambda raw: raw or "")
    value = where.text_input(label, key=key, placeholder="words from the prompt")
    _publish(key, param, value.strip())
    return value.strip()


# How much of the library a view shows, around the sidebar's working context.
SCOPES = ("campaign", "client", ANY)


def _scope_options(campaign: Campaign | None, client_name: str) -> dict[str, str]:
    if campaign is None:
        return {ANY: "All clients"}
    return {"campaign": f"This campaign: {campaign.name}", "client": f"All of {client_name}",
            ANY: "All clients"}  # fmt: skip


def scope(label: str, *, key: str, where=st) -> tuple[str | None, str | None]:
    """(client_id, campaign_id) to filter on: the working context's campaign, its client, or
    everything; kept in the URL's `scope`."""
    campaign_id = st.session_state.get(context.CURRENT_KEY)
    with db() as session:
        campaign = session.get(Campaign, campaign_id) if campaign_id else None
        client = session.get(Client, campaign.client_id) if campaign else None
        client_name = client.name if client else ""
    chosen = select(label, _scope_options(campaign, client_name), param="scope", key=key,
                    where=where, default="campaign")  # fmt: skip
    if campaign is None or chosen == ANY:
        return None, None
    return campaign.client_id, campaign.id if chosen == "campaign" else None


def campaign_options(user: User, client_id: str | None) -> dict[str, str]:
    """Campaigns of one client, or of every client (named with their client) when none."""
    with db() as session:
        rows = campaigns.list_campaigns(session=session, actor=user, client_id=client_id or None)
    names = {r.campaign.id: r.campaign.name if client_id else f"{r.client_name} · {r.campaign.name}"
             for r in rows}  # fmt: skip
    return {ANY: "All campaigns", **names}


def _model_options(kind: str) -> dict[str, str]:
    return {ANY: "Any model", **{m.id: m.title for m in catalog.MODELS if kind in (ANY, m.kind)}}


def gallery_filters(user: User, *, key: str) -> GalleryFilter:
    """Client, campaign, kind, status, model, date range and prompt text: the gallery's query."""
    top = st.columns(2)
    client_id, campaign_id = scope("Show", key=f"{key}_scope", where=top[0])
    words = text("Prompt contains", param="q", key=f"{key}_text", where=top[1])
    row = st.columns(5)
    kind = select("Kind", KINDS, param="kind", key=f"{key}_kind", where=row[0])
    status = select("Status", STATUSES, param="status", key=f"{key}_status", where=row[1])
    model = select("Model", _model_options(kind), param="model", key=f"{key}_model", where=row[2])
    since = day("From", param="since", key=f"{key}_since", where=row[3])
    until = day("To", param="until", key=f"{key}_until", where=row[4])
    if since and until and since > until:  # nothing can match; say why, not just "nothing"
        st.warning("The 'from' date is after the 'to' date: swap them, or clear one.", icon="📅")
    return GalleryFilter(
        client_id=client_id or None, campaign_id=campaign_id or None, kind=kind or None,
        status=status or None, model=model or None, since=since, until=until, text=words or None,
    )  # fmt: skip


def job_filters(user: User, *, key: str) -> GalleryFilter:
    """Status, kind and campaign: enough to find a stuck or failed job."""
    cols = st.columns(3)
    status = select("Status", STATUSES, param="status", key=f"{key}_status", where=cols[0])
    kind = select("Kind", KINDS, param="kind", key=f"{key}_kind", where=cols[1])
    client_id, campaign_id = scope("Show", key=f"{key}_scope", where=cols[2])
    return GalleryFilter(status=status or None, kind=kind or None, client_id=client_id,
                         campaign_id=campaign_id)  # fmt: skip


def _go_to_page(key: str, number: int) -> None:
    # A callback: the URL is re-read after it, so url_page() moves the URL on the next run.
    st.session_state[f"{key}_goto_page"] = number


def url_page(filters: GalleryFilter, *, key: str) -> int:
    """The URL's page number; back to 1 when the filters change (their old page is noise)."""
    seen = st.session_state.get(f"{key}_seen_filters")
    st.session_state[f"{key}_seen_filters"] = filters
    if seen is not None and seen != filters:
        st.query_params.pop("page", None)
        return 1
    if (goto := st.session_state.pop(f"{key}_goto_page", None)) is not None:
        st.query_params["page"] = str(goto)
    raw = st.query_params.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


def pager(found: Page, *, pages: int, key: str) -> None:
    """Newer / older buttons that move the URL's page."""
    back, where, forward = st.columns([1, 2, 1])
    back.button("← Newer", key=f"{key}_prev", disabled=found.page <= 1, on_click=_go_to_page,
                args=(key, found.page - 1))  # fmt: skip
    where.caption(f"Page {found.page} of {pages}")
    forward.button("Older →", key=f"{key}_next", disabled=not found.has_next,
                   on_click=_go_to_page, args=(key, found.page + 1))  # fmt: skip
