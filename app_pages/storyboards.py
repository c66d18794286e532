"""Storyboards: a campaign's storyboards; one opened shows its scenes as a timeline (a strip of
scene cards to open and drag into order, the open scene edited in a panel under it), their
frames (quoted, then made; chosen), review (submit, versions, history), its animatic (a free
rough cut, to watch before any video money) and the render of the finished ad. Reviewers see it
all read-only (and may make the animatic); the open storyboard and scene are in the URL.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from core.accounts import auth
from core.models import Generation, Review, Scene, Storyboard, StoryboardStatus, User
from core.storyboards import editing as sb
from core.storyboards import frames, reviews
from ui import filmstrip, flash, frame_quote, render_panel, storyboard_review, words
from ui import scene_panel as panel
from ui import storyboard_widgets as w
from ui.animatic_panel import animatic_panel
from ui.context import pick_campaign
from ui.session import db, require
from ui.share_panel import share_panel

PAGE = "storyboards"
SUBMITTABLE = (StoryboardStatus.draft, StoryboardStatus.changes_requested)


class _Seen(NamedTuple):
    """What one run of the page reads once and several parts show."""

    frames: dict[str, list[Generation]]  # scene id -> its frames, newest first
    decisions: list[Review]
    frames_blocked: bool = False  # the frame model chosen cannot be used (no token)


def _pick_board(user: User, campaign_id: str) -> Storyboard | None:
    with db() as session:
        boards = {b.id: b for b in sb.list_storyboards(session=session, actor=user,
                                                       campaign_id=campaign_id)}  # fmt: skip
    if not boards:
        st.info("No storyboards in this campaign yet: make one from a brief on **Briefs**.")
        return None
    ids = list(boards)
    wanted = st.query_params.get("storyboard")
    if st.session_state.get(f"{PAGE}_board") not in boards:
        st.session_state[f"{PAGE}_board"] = wanted if wanted in boards else ids[0]
    labels = words.distinct(
        {i: f"{b.title} · {w.STATUS_LABELS[b.status]} · v{b.version}" for i, b in boards.items()},
        lambda i: f"made {boards[i].created_at:%d %b %H:%M}",
    )
    chosen = st.selectbox("Storyboard", ids, key=f"{PAGE}_board", format_func=labels.get)
    if st.query_params.get("storyboard") != chosen:
        st.query_params["storyboard"] = chosen
    return boards[chosen]


def _timeline(
    user: User, board: Storyboard, scenes: list[Scene], seen: _Seen, editable: bool
) -> None:
    """The filmstrip, then the open scene in its panel; messages show where they were made."""
    st.subheader("Scenes")
    feedback = storyboard_review.scene_feedback(seen.decisions)
    panel.notice_deleted(PAGE, board, scenes)
    first_asked = filmstrip.asked_to_change(board, scenes, feedback)
    scene = filmstrip.selected(PAGE, board, scenes, preferred=first_asked)
    with st.container(key=f"{PAGE}_filmstrip"):
        if editable:
            filmstrip.order_row(PAGE, user, board, scenes)
            flash.show(filmstrip.slot(PAGE))
        filmstrip.cards(PAGE, scenes, seen.frames, scene.id)
    panel.panel(PAGE, user, board, scene, variants=seen.frames.get(scene.id, []),
                feedback=feedback.get(scene.id, []), editable=editable, count=len(scenes),
                frames_blocked=seen.frames_blocked)  # fmt: skip
    if editable:
        with st.expander("Add a scene at the end"):
            w.add_scene_form(PAGE, user, board)


def _review(
    user: User, board: Storyboard, scenes: list[Scene], seen: _Seen, editable: bool
) -> None:
    st.subheader("Review")
    st.markdown(f"Status: **{w.STATUS_LABELS[board.status]}** · version {board.version}")
    flash.show(f"{PAGE}_review")
    if editable and board.status in SUBMITTABLE:
        if bare := sum(frames.current_frame(s, seen.frames.get(s.id, [])) is None for s in scenes):
            verb = "has" if bare == 1 else "have"
            st.warning(f"{bare} of {len(scenes)} scenes {verb} no frame yet: reviewers would "
                       "judge text only. Generate frames above first.")  # fmt: skip
        if st.button("Submit for review", key=f"{PAGE}_submit", type="primary"):
            done = f"Submitted '{board.title}' for review (v{board.version + 1})."
            w.act(f"{PAGE}_review", user, done, reviews.submit, storyboard_id=board.id)
    with st.expander("Review history", expanded=board.status == "changes_requested"):
        storyboard_review.history(seen.decisions, scenes)
    with st.expander("Submitted versions"):
        storyboard_review.versions(user, board, key=f"{PAGE}_version")


def _render(user: User, board: Storyboard, scenes: list[Scene]) -> None:
    st.subheader("Final ad")
    flash.show(PAGE)  # the render panel's messages (started, canceled, resumed)
    numbers = {s.id: s.position + 1 for s in scenes}
    if auth.can(user, "generate"):
        render_panel.real_models_button(PAGE, user, board)
        with st.expander("Render", expanded=True):
            render_panel.render_form(PAGE, user, board, numbers)
    render_panel.render_result(PAGE, user, board, numbers)
    # A link to the board plays its newest animatic or final ad, for a client without an account.
    share_panel(user, board.id, key=f"{PAGE}_share_{board.id}")


def _editing_note(user: User, board: Storyboard) -> None:
    if board.status == StoryboardStatus.in_review:
        w.review_watch(user, board.id, board.status)
    elif board.status == StoryboardStatus.approved:
        st.warning("Approved. Any change (a scene, a frame, a setting) sends it back for review.")


def render() -> None:
    user = require("work.view")
    st.title("Storyboards")
    summary = pick_campaign(user)
    if summary is None:
        return
    board = _pick_board(user, summary.campaign.id)
    if board is None:
        return
    with db() as session:
        scenes = sb.scenes_of(session, board.id)
        found = frames.frames_of(session=session, actor=user, storyboard_id=board.id)
    seen = _Seen(found, storyboard_review.decisions(user, board))
    may_edit = auth.can(user, "storyboard.edit")
    editable = may_edit and board.status != StoryboardStatus.in_review
    total = sum(s.duration_s for s in scenes)
    st.caption(f"{len(scenes)} scenes · {total} s · {board.aspect_ratio} · `{board.id}`")
    w.brief_departures(user, board)
    w.voice_departures(user, board)
    w.frames_off_ratio(board, scenes, seen.frames)
    if may_edit:
        _editing_note(user, board)
    if board.status == StoryboardStatus.changes_requested:
        storyboard_review.board_feedback(seen.decisions, board)
    if editable:
        with st.expander("Settings"):
            w.settings_form(PAGE, user, board)
        seen = seen._replace(frames_blocked=frame_quote.toolbar(PAGE, user, board))
        w.frames_progress(PAGE, user, board.id)
    _timeline(user, board, scenes, seen, editable)
    _review(user, board, scenes, seen, may_edit)
    st.subheader("Animatic")
    animatic_panel(user, board, key=f"{PAGE}_animatic")
    _render(user, board, scenes)
