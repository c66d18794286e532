"""Clients & campaigns: brand guidelines, palettes, budgets; item counts and spend per campaign."""

from __future__ import annotations

import streamlit as st

from core.campaigns import campaigns, clients
from core.generation import demo
from core.models import Client, Role, User
from ui import flash
from ui.campaign_forms import campaign_table, create_campaign_form, edit_campaign_form
from ui.client_forms import PAGE, create_client_form, edit_client_form
from ui.errors import friendly_errors
from ui.session import db, require

DEMO_REQUEST = f"{PAGE}_demo_requested"


def _ask_for_demo() -> None:
    # A callback, so the click counts even if the offer is gone by the next run (someone added
    # a client meanwhile): core then says why it refuses, instead of the click doing nothing.
    st.session_state[DEMO_REQUEST] = True


def _demo_offer(user: User) -> None:
    """On an empty database an admin can start a stakeholder demo in one click."""
    if user.role != Role.admin:
        return
    if st.session_state.pop(DEMO_REQUEST, False):
        with friendly_errors():
            with st.spinner("Loading the demo…"), db() as session:
                rows = demo.load_demo(session=session, actor=user)
            flash.done(PAGE, f"Demo loaded: {demo.DEMO_CLIENT}, {len(rows)} items queued.")
        return
    with db() as session:
        empty = demo.is_empty(session=session)
    if empty:
        with st.container(border=True):
            st.markdown("**No clients yet.** Load a demo client with a campaign and draft media?")
            st.button("Load demo data", key=f"{PAGE}_demo", on_click=_ask_for_demo)


def _pick_client(rows: list[Client]) -> Client | None:
    """The client select, kept in the URL's `client` like the Studio's, so links carry it."""
    by_id = {c.id: c for c in rows}
    if not by_id:
        return None
    ids = list(by_id)
    current = st.query_params.get("client")
    chosen = st.selectbox(
        "Client", ids, index=ids.index(current) if current in ids else 0, key=f"{PAGE}_client",
        format_func=lambda i: by_id[i].name + (" (archived)" if by_id[i].archived else ""),
    )  # fmt: skip
    if st.query_params.get("client") != chosen:
        st.query_params["client"] = chosen
    return by_id[chosen]


def _campaigns(user: User, client: Client) -> None:
    st.subheader(f"Campaigns of {client.name}")
    with db() as session:
        rows = campaigns.list_campaigns(
            session=session, actor=user, client_id=client.id, include_archived=True
        )
    campaign_table(rows)
    if rows:
        with st.expander("Edit a campaign"):
            edit_campaign_form(user, rows)
    if client.archived:
        st.caption("Restore the client to add campaigns.")
        return
    with st.expander("New campaign", expanded=not rows):
        create_campaign_form(user, client)


def render() -> None:
    user = require("client.manage")
    st.title("Clients & campaigns")
    flash.show(PAGE)
    _demo_offer(user)
    with st.expander("New client"):
        create_client_form(user)
    show_archived = st.toggle("Show archived clients", key=f"{PAGE}_archived")
    with db() as session:
        rows = clients.list_clients(session=session, actor=user, include_archived=show_archived)
    client = _pick_client(rows)
    if client is None:
        st.info("No clients yet: create one above.")
        return
    with st.expander(f"Edit {client.name}"):
        edit_client_form(user, client)
    _campaigns(user, client)
