"""Assets: a client's logos and product shots, uploaded once and used as start images; one
of them may be marked as the client's logo, which its final ads then carry on their end cards.

Core checks each upload's content (PNG, JPEG or WebP by its magic number, the size limit, that
it decodes) before anything is kept, so a renamed or oversized file gets a message and leaves
nothing behind.
"""

from __future__ import annotations

import streamlit as st

from core.campaigns import assets
from core.models import Asset, Client, Role, User
from ui import context, flash, uploads
from ui.errors import errors_after_rerun, friendly_errors, show_kept_error
from ui.filters import campaign_options
from ui.media import stored_file
from ui.session import db, require
from ui.units import file_size

PAGE = "assets"
COLUMNS = 4
ERROR_KEY = f"{PAGE}_upload_error"


def _upload_form(user: User, client: Client) -> None:
    key = flash.form_key(PAGE, "upload")  # a new key after each upload empties the form
    file_key = flash.form_key(PAGE, "upload_file")  # new after every attempt: no refused file stays
    campaigns = campaign_options(user, client.id)
    with st.form(key):
        upload = uploads.file_uploader(
            "Logo or product shot: PNG, JPEG or WebP", uploads.asset_limit_mb(),
            type=uploads.IMAGE_TYPES, key=file_key,
        )  # fmt: skip
        label = st.text_input("Label", key=f"{key}_label", placeholder="e.g. Primary logo")
        campaign_id = st.selectbox("Campaign (optional)", list(campaigns),
                                   format_func=campaigns.get, key=f"{key}_campaign")  # fmt: skip
        submitted = st.form_submit_button("Upload", type="primary")
    show_kept_error(ERROR_KEY)
    if not submitted:
        return
    if upload is None:
        st.warning(uploads.nothing_received(uploads.IMAGES, uploads.asset_limit_mb()))
        return
    flash.next_round(PAGE, "upload_file")
    with errors_after_rerun(ERROR_KEY):
        with db() as session:
            asset = assets.upload_asset(
                session=session, actor=user, client_id=client.id, filename=upload.name,
                stream=upload, campaign_id=campaign_id or None, label=label,
            )  # fmt: skip
        flash.next_round(PAGE, "upload")
        flash.done(PAGE, f"Uploaded '{asset.label}' for {client.name}.")


def _delete(user: User, asset: Asset) -> None:
    with friendly_errors():
        with db() as session:
            assets.delete_asset(session=session, actor=user, asset_id=asset.id)
        flash.done(PAGE, f"Deleted '{asset.label}'.")


def _set_logo(user: User, client: Client, asset: Asset | None) -> None:
    with friendly_errors():
        with db() as session:
            assets.set_logo(session=session, actor=user, client_id=client.id,
                            asset_id=asset.id if asset else None)  # fmt: skip
        done = (f"'{asset.label}' is now {client.name}'s logo on the end cards of final ads "
                "rendered from now on." if asset else
                f"{client.name}'s final ads will end on the call to action alone.")  # fmt: skip
        flash.done(PAGE, done)


def _logo_control(user: User, client: Client, asset: Asset) -> None:
    if client.logo_asset_id == asset.id:
        st.caption(":material/verified: Logo on end cards")
        if st.button("Stop using as logo", key=f"{PAGE}_unlogo_{asset.id}"):
            _set_logo(user, client, None)
    elif st.button("Use as logo on end cards", key=f"{PAGE}_logo_{asset.id}"):
        _set_logo(user, client, asset)


def _card(user: User, client: Client, asset: Asset) -> None:
    with st.container(border=True):
        if (thumb := stored_file(asset.thumb_path)) is not None:
            st.image(str(thumb), width="stretch")
        st.markdown(f"**{asset.label}**")
        st.caption(f"{asset.filename} · {asset.width}×{asset.height} · {file_size(asset.bytes)}")
        _logo_control(user, client, asset)
        # Core lets creatives delete only their own uploads; offer the button to them alone.
        if user.role == Role.admin or asset.created_by == user.id:
            with st.popover("Delete", icon=":material/delete:"):
                st.write("Videos that started from it keep their frames.")
                if st.button("Delete for good", key=f"{PAGE}_delete_{asset.id}", type="primary"):
                    _delete(user, asset)


def _asset_grid(user: User, client: Client) -> None:
    with db() as session:
        rows = assets.list_assets(session=session, actor=user, client_id=client.id)
    if not rows:
        st.info(f"No assets for {client.name} yet: upload a logo or a product shot above.")
        return
    for start in range(0, len(rows), COLUMNS):
        for column, asset in zip(st.columns(COLUMNS), rows[start : start + COLUMNS], strict=False):
            with column:
                _card(user, client, asset)


def render() -> None:
    user = require("asset.manage")
    st.title("Assets")
    flash.show(PAGE)
    client = context.pick_client()  # the sidebar's: one client on every screen
    if client is None:
        st.info("No clients yet: add one on **Clients & campaigns**.")
        return
    st.caption(f"{client.name}'s logos and product shots (the client is chosen in the sidebar).")
    with st.expander(f"Upload for {client.name}", expanded=True):
        _upload_form(user, client)
    st.subheader(f"{client.name}'s assets")
    _asset_grid(user, client)
