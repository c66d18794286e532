"""Frames, quoted before they are made: the model and variants chosen once above the scenes,
then every button that makes frames (every scene, or one) says what it costs first, and where
that leaves the budget. Paid frames wait for a ticked confirmation, as a render does; free
draft frames need none.

The quote is core's own plan (`frames.plan_frames`), so what is shown is what a click writes.
"""

from __future__ import annotations

import streamlit as st

from core.models import Storyboard, User
from core.storyboards import frames
from ui import flash
from ui.cost_widgets import spend_after
from ui.errors import friendly_errors
from ui.session import db, request_button, submission_key
from ui.units import usd


def _choice(page: str) -> tuple[str | None, int]:
    """The frame model and variants chosen in the toolbar."""
    model = st.session_state.get(f"{page}_frame_model")
    return model, int(st.session_state.get(f"{page}_variants", 1))


def _quote(
    page: str, user: User, board: Storyboard, scene_id: str | None
) -> tuple[float, int] | None:
    """(total, frames) of what a click would make, or None when core refuses it (its message,
    e.g. a scene with nothing to draw, is shown here, before the click)."""
    model, variants = _choice(page)
    with friendly_errors(), db() as session:
        rows = frames.plan_frames(session=session, actor=user, storyboard_id=board.id,
                                  scene_id=scene_id, model=model, variants=variants)  # fmt: skip
        return sum(r.estimated_cost_usd for r in rows), len(rows)
    return None


def _confirmed(
    page: str, user: User, board: Storyboard, total: float, count: int, where: str
) -> bool:
    """Free work goes at once; paid work once the quote is confirmed (a fresh box after each
    batch made and for each total, so one tick is one purchase), never past a budget."""
    what = f"{count} frame{'s' * (count != 1)}"
    if total == 0:
        st.caption(f"{what} · free (draft engine)")
        return True
    st.markdown(f"{what} · **{usd(total)}**")
    if not spend_after(user, board.campaign_id, total):
        return False
    key = f"{flash.form_key(page, f'frames_{where}')}_{round(total * 1000)}_{count}"
    return st.checkbox(f"I confirm spending {usd(total)} on {what}", key=key)


def frames_button(
    page: str, user: User, board: Storyboard, *, label: str, key: str, slot: str,
    scene_id: str | None = None, blocked: bool = False,
) -> None:  # fmt: skip
    """The quote, its confirmation when paid, and the button that makes the frames; the
    outcome shows in `slot` (a `flash` slot: where the button is)."""
    quote = None if blocked else _quote(page, user, board, scene_id)
    ready = quote is not None and _confirmed(page, user, board, *quote, where=scene_id or "all")
    with request_button(label, key=key, disabled=not ready) as clicked:
        if clicked and quote is not None:
            _make(page, user, board, scene_id, slot)


def _make(page: str, user: User, board: Storyboard, scene_id: str | None, slot: str) -> None:
    model, variants = _choice(page)
    # A fresh key per batch: a double click is one batch, a second batch asked for is made.
    batch = flash.form_key(page, f"frames_{scene_id or 'all'}")
    with friendly_errors():
        with db() as session:
            rows, warning = frames.generate_frames(
                session=session, actor=user, storyboard_id=board.id, scene_id=scene_id,
                model=model, variants=variants,
                submission_key=submission_key("frames", batch, board.id, scene_id, model, variants),
            )  # fmt: skip
        flash.next_round(page, f"frames_{scene_id or 'all'}")
        if warning:
            st.session_state[f"{slot}_warning"] = warning
        where = "every scene" if len({r.scene_id for r in rows}) > 1 else "the scene"
        flash.done(slot, f"Queued {len(rows)} frame{'s' * (len(rows) != 1)} for {where}.")


def show_outcome(slot: str) -> None:
    """The message of the last batch made from here, and its budget warning, if any."""
    flash.show(slot)
    if warning := st.session_state.pop(f"{slot}_warning", None):
        st.warning(warning)


def toolbar(page: str, user: User, board: Storyboard) -> bool:
    """The frame model and variants every frame button uses, and frames for every scene.
    Returns whether that model cannot be used now (each frame button is then disabled)."""
    from ui import params  # the catalog-driven model picker the Studio uses

    model, count, go = st.columns([3, 1, 2], vertical_alignment="bottom")
    spec = params.model_picker("image", key=f"{page}_frame_model", label="Frame model",
                               where=model)  # fmt: skip
    count.number_input("Variants", 1, frames.MAX_VARIANTS, 1, key=f"{page}_variants")
    slot, blocked = f"{page}_frames", params.unavailable_reason(spec) is not None
    with go:
        frames_button(page, user, board, label="Generate frames for every scene",
                      key=f"{page}_frames_all", slot=slot, blocked=blocked)  # fmt: skip
    show_outcome(slot)
    return blocked
