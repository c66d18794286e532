"""Client forms for the Clients & campaigns page: create, and edit or archive the chosen one."""

from __future__ import annotations

import streamlit as st

from core.campaigns import clients
from core.models import Client, User
from ui import flash
from ui.errors import friendly_errors
from ui.palette import palette_editor
from ui.session import db

PAGE = "clients"


def budget_input(label: str, key: str, value: float | None):
    return st.number_input(
        label, min_value=0.0, value=value, step=5.0, format="%.2f", key=key,
        placeholder="no limit", help="USD. Empty means no limit. Only admins may raise one.",
    )  # fmt: skip


def _brand_fields(prefix: str, client: Client | None) -> dict:
    values = {
        "name": st.text_input("Name", value=client.name if client else "", key=f"{prefix}_name"),
        "guidelines": st.text_area(
            "Brand guidelines", value=client.guidelines if client else "",
            key=f"{prefix}_guidelines", placeholder="Tone, look, what to show and avoid",
            help="Added to every image and video prompt; music gets the sound direction.",
        ),
        "negative_prompt": st.text_input(
            "Negative prompt", value=client.negative_prompt if client else "",
            key=f"{prefix}_negative", help="What image and video models should avoid.",
        ),
        "sound_direction": st.text_input(
            "Sound direction", value=client.sound_direction if client else "",
            key=f"{prefix}_sound", placeholder="e.g. warm acoustic guitar, 90-110 BPM, no vocals",
            help="Added to every music prompt. The guidelines, palette and negative prompt go to "
            "images and videos only.",
        ),
        "budget_usd": budget_input(
            "Client budget (USD)", f"{prefix}_budget", client.budget_usd if client else None
        ),
    }  # fmt: skip
    values["palette"] = palette_editor(f"{prefix}_palette", client.palette if client else [])
    return values


def create_client_form(user: User) -> None:
    prefix = flash.form_key(PAGE, "new")
    values = _brand_fields(prefix, None)
    if st.button("Create client", type="primary", key=f"{prefix}_submit"):
        with friendly_errors():
            with db() as session:
                client = clients.create_client(session=session, actor=user, **values)
            # After the commit: a rerun inside `db()` would roll the work back.
            st.query_params["client"] = client.id
            # Set, not popped: a browser keeps its own choice for a keyed select otherwise.
            st.session_state[f"{PAGE}_client"] = client.id
            flash.next_round(PAGE, "new")
            flash.done(PAGE, f"Client '{client.name}' created.")


def edit_client_form(user: User, client: Client) -> None:
    prefix = f"{PAGE}_edit_{client.id}"
    values = _brand_fields(prefix, client)
    save, archive = st.columns(2)
    if save.button("Save client", type="primary", key=f"{prefix}_save"):
        _update(user, client, values, f"Client '{values['name'].strip()}' saved.")
    label = "Restore client" if client.archived else "Archive client"
    if archive.button(label, key=f"{prefix}_archive"):
        verb = "restored" if client.archived else "archived"
        _update(user, client, {"archived": not client.archived}, f"Client '{client.name}' {verb}.")


def _update(user: User, client: Client, changes: dict, message: str) -> None:
    with friendly_errors():
        with db() as session:
            clients.update_client(session=session, actor=user, client_id=client.id, **changes)
        flash.done(PAGE, message)
