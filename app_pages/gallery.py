"""Gallery: find generations by client, campaign, kind, status, model, date and prompt; open one
to play it, see how it was made and where it came from; download, delete or reuse it.

The filters, the page number and the opened item all live in the URL, so any view is a link.
"""

from __future__ import annotations

import streamlit as st

from core.accounts import auth
from core.campaigns import assets
from core.generation import gallery
from core.generation import service as gen
from core.media import sources
from core.models import FINAL_STATUSES, Generation, Role, Status, User
from ui import context, flash, words
from ui import media as widgets
from ui.errors import friendly_errors
from ui.filters import gallery_filters, pager, url_page
from ui.nav import SCREENS
from ui.session import db, display_names, require

PAGE = "gallery"
PER_PAGE = 24
CONFIRM_KEY = f"{PAGE}_confirm_delete"
OPEN_KEY = f"{PAGE}_open_request"
STUDIO_PATH = next(screen.url_path for screen in SCREENS if screen.module == "studio")


def _to_studio() -> None:
    """Switch to the Studio registered by the shell (a Page is matched by its url_path)."""
    st.switch_page(st.Page(lambda: None, title="Studio", url_path=STUDIO_PATH))


def _open(generation_id: str) -> None:
    """Button callback. Callbacks run before a rerun re-reads the URL, so a query parameter set
    here would be lost: leave a request that render() applies."""
    st.session_state[OPEN_KEY] = generation_id


def _close() -> None:
    st.session_state[OPEN_KEY] = ""


def _opened_item() -> str | None:
    if (request := st.session_state.pop(OPEN_KEY, None)) is not None:
        if request:
            st.query_params["item"] = request
        else:
            st.query_params.pop("item", None)
    return st.query_params.get("item")


def _search(user: User, filters: gallery.GalleryFilter, page: int):
    """(one page, total matches), or None when the search failed (the message is shown)."""
    with friendly_errors(), db() as session:
        found = gallery.search(session=session, actor=user, filters=filters, page=page,
                               per_page=PER_PAGE)  # fmt: skip
        return found, gallery.count(session=session, actor=user, filters=filters)
    return None


def _nothing_here(filters: gallery.GalleryFilter, total: int, page: int) -> str:
    if total:  # e.g. an old link to a page that has since emptied
        return f"Page {page} is past the end: go back a page."
    if filters == gallery.GalleryFilter():
        return "Nothing generated yet."
    return "Nothing matches these filters."


def _results(user: User, filters: gallery.GalleryFilter) -> None:
    page = url_page(filters, key=PAGE)
    if (result := _search(user, filters, page)) is None:
        return
    found, total = result
    st.caption(f"{total:,} item{'s match' if total != 1 else ' matches'}.")
    if not found.items:
        st.info(_nothing_here(filters, total, page))
    widgets.grid(found.items, key=PAGE, on_open=_open)
    if total > PER_PAGE or page > 1:
        pager(found, pages=max(1, -(-total // PER_PAGE)), key=PAGE)


def _may_delete(user: User, row: Generation) -> bool:
    # The same rule core enforces (owner or admin), so nobody sees a button that would be refused.
    mine = user.role == Role.admin or row.created_by == user.id
    return auth.can(user, "generation.delete") and mine and row.status in FINAL_STATUSES


def _reuse_buttons(user: User, row: Generation) -> None:
    """Hand this item to the Studio (it reads these two session keys once) and go there."""
    if not auth.can(user, "generate") or row.kind not in gen.KINDS:
        return
    if st.button("Generate again with these settings", key=f"{PAGE}_again"):
        prefill = {
            "kind": str(row.kind), "model": row.model, "prompt": row.prompt,
            "params": dict(row.params), "campaign_id": row.campaign_id,
        }  # fmt: skip
        with db() as session:
            start = sources.chosen_start(session, row)
        if start:  # the same image, asset or frame to start from
            prefill["start"] = {"source_id": start, "frame_s": row.source_frame_s}
        st.session_state["studio_prefill"] = prefill
        context.select_campaign(row.campaign_id)  # the Studio opens on the item's campaign
        _to_studio()
    usable = row.kind in ("image", "video") and row.status == Status.succeeded
    if usable and st.button("Use as start image", key=f"{PAGE}_start_from"):
        st.session_state["studio_start_from"] = row.id
        context.select_campaign(row.campaign_id)
        _to_studio()


def _actions(user: User, row: Generation) -> None:
    widgets.download(row, key=f"{PAGE}_download")
    _reuse_buttons(user, row)
    if _may_delete(user, row) and st.button("Delete", key=f"{PAGE}_delete", type="primary"):
        st.session_state[CONFIRM_KEY] = row.id


def _forget_confirm() -> None:
    st.session_state.pop(CONFIRM_KEY, None)


def _made_from_it(count: int) -> str:
    if count == 1:
        return "1 item was made from it; it stays, and its lineage will say so."
    return f"{count} items were made from it; they stay, and their lineage will say so."


def _called(row: Generation) -> str:
    """'the image “a can on a beach”': an item named in a message."""
    noun = words.row_kind(row).lower()
    return f"the {noun} “{widgets.short(row.prompt, 40)}”" if row.prompt else f"the {noun}"


@st.dialog("Delete this item?", on_dismiss=_forget_confirm)
def _confirm_delete(user: User, row: Generation, made_from_it: int) -> None:
    called = _called(row)
    st.write(f"{called[0].upper()}{called[1:]} and its file go for everyone. This cannot be "
             "undone.")  # fmt: skip
    if made_from_it:
        st.write(_made_from_it(made_from_it))
    yes, no = st.columns(2)
    if no.button("Keep it", key=f"{PAGE}_delete_no"):
        _forget_confirm()
        st.rerun()
    if yes.button("Delete", key=f"{PAGE}_delete_yes", type="primary"):
        _forget_confirm()
        with friendly_errors():
            with db() as session:
                gen.delete(session=session, actor=user, generation_id=row.id)
            st.query_params.pop("item", None)
            flash.done(PAGE, f"Deleted {_called(row)}.")


def _load(user: User, generation_id: str):
    """The item, its parent, its children, the asset it started from, what a final ad was made
    of and what its render cost (None if not found)."""
    with friendly_errors(), db() as session:
        row = gen.get_generation(session=session, actor=user, generation_id=generation_id)
        parent = session.get(Generation, row.parent_id) if row.parent_id else None
        children = gallery.children(session=session, actor=user, generation_id=row.id)
        asset_id = row.source_asset_id
        asset = asset_id and assets.get_asset(session=session, actor=user, asset_id=asset_id)
        inputs = gallery.inputs_of(session=session, actor=user, row=row)
        cost = gallery.render_cost(session=session, actor=user, row=row)
        return row, parent, children, asset.label if asset else None, inputs, cost
    return None


def _details(user: User, generation_id: str) -> None:
    st.button("← Back to the gallery", key=f"{PAGE}_back", on_click=_close)
    if (loaded := _load(user, generation_id)) is None:
        return
    row, parent, children, asset_label, inputs, render_cost = loaded
    st.subheader(f"{words.what(row)} · {row.created_at:%Y-%m-%d %H:%M}")
    media_col, facts_col = st.columns([3, 2])
    with media_col:
        widgets.player(row)
        _actions(user, row)
        widgets.lineage(parent, children, key=PAGE, on_open=_open, source_asset=asset_label,
                        deleted_parent=row.deleted_parent_id, inputs=inputs)  # fmt: skip
    with facts_col:
        widgets.facts(row, display_names().get(row.created_by, "someone"), render_cost)
    if st.session_state.get(CONFIRM_KEY) == row.id:  # one dialog per run, opened by its flag
        _confirm_delete(user, row, len(children))


def render() -> None:
    user = require("read")
    st.title("Gallery")
    flash.show(PAGE)
    if item := _opened_item():
        _details(user, item)
        return
    filters = gallery_filters(user, key=PAGE)
    _results(user, filters)
