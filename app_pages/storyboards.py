"""Storyboards: a campaign's storyboards; one opened shows its scenes (edit, reorder, add, split,
delete), their frames (generate, regenerate, choose), review (submit, versions, history) and the
render of the finished ad. Reviewers see it all read-only; the open storyboard is in the URL.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from core.accounts import auth
from core.models import Generation, Review, Scene, Storyboard, StoryboardStatus, User
from core.storyboards import editing as sb
from core.storyboards import frames, reviews
from ui import flash, render_panel, storyboard_review
from ui import storyboard_widgets as w
from ui.context import pick_campaign
from ui.session import db, require

PAGE = "storyboards"
SUBMITTABLE = (StoryboardStatus.draft, StoryboardStatus.changes_requested)


class _Seen(NamedTuple):
    """What one run of the page reads once and several parts show."""

    frames: dict[str, list[Generation]]  # scene id -> its frames, newest first
    decisions: list[Review]


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
    chosen = st.selectbox(
        "Storyboard",
        ids,
        key=f"{PAGE}_board",
        format_func=lambda i: (
            f"{boards[i].title} · {w.STATUS_LABELS[boards[i].status]} · v{boards[i].version}"
        ),
    )
    if st.query_params.get("storyboard") != chosen:
        st.query_params["storyboard"] = chosen
    return boards[chosen]


def _scenes(
    user: User, board: Storyboard, scenes: list[Scene], seen: _Seen, editable: bool
) -> None:
    found, feedback = seen.frames, storyboard_review.scene_feedback(seen.decisions)
    for scene in scenes:
        variants = found.get(scene.id, [])
        with st.container(border=True):
            if not editable:
                w.scene_view(scene, frames.current_frame(scene, variants))
                storyboard_review.show_feedback(feedback.get(scene.id, []), board.version)
                continue
            st.markdown(f"**{w.scene_heading(scene)}**")
            storyboard_review.show_feedback(feedback.get(scene.id, []), board.version)
            w.scene_buttons(PAGE, user, scene, len(scenes))
            form, pictures = st.columns([3, 2])
            with form:
                w.scene_form(PAGE, user, scene)
            with pictures:
                w.frame_variants(PAGE, user, scene, variants)
                if st.button("New frame", key=f"{PAGE}_regen_{scene.id}"):
                    w.make_frames(PAGE, user, board, scene.id)


def _review(
    user: User, board: Storyboard, scenes: list[Scene], seen: _Seen, editable: bool
) -> None:
    st.subheader("Review")
    st.markdown(f"Status: **{w.STATUS_LABELS[board.status]}** · version {board.version}")
    if editable and board.status in SUBMITTABLE:
        if bare := sum(frames.current_frame(s, seen.frames.get(s.id, [])) is None for s in scenes):
            verb = "has" if bare == 1 else "have"
            st.warning(f"{bare} of {len(scenes)} scenes {verb} no frame yet: reviewers would "
                       "judge text only. Generate frames above first.")  # fmt: skip
        if st.button("Submit for review", key=f"{PAGE}_submit", type="primary"):
            w.act(PAGE, user, f"Submitted '{board.title}' for review (v{board.version + 1}).",
                  reviews.submit, storyboard_id=board.id)  # fmt: skip
    with st.expander("Review history", expanded=board.status == "changes_requested"):
        storyboard_review.history(seen.decisions, scenes)
    with st.expander("Submitted versions"):
        storyboard_review.versions(user, board, key=f"{PAGE}_version")


def _render(user: User, board: Storyboard, scenes: list[Scene]) -> None:
    st.subheader("Final ad")
    numbers = {s.id: s.position + 1 for s in scenes}
    if auth.can(user, "generate"):
        render_panel.real_models_button(PAGE, user, board)
        with st.expander("Render", expanded=True):
            render_panel.render_form(PAGE, user, board, numbers)
    render_panel.render_result(PAGE, user, board, numbers)


def _editing_note(user: User, board: Storyboard) -> None:
    if board.status == StoryboardStatus.in_review:
        w.review_watch(user, board.id, board.status)
    elif board.status == StoryboardStatus.approved:
        st.warning("Approved. Any change (a scene, a frame, a setting) sends it back for review.")


def render() -> None:
    user = require("work.view")
    st.title("Storyboards")
    flash.show(PAGE)
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
    w.frames_off_ratio(board, scenes, seen.frames)
    if may_edit:
        _editing_note(user, board)
    if board.status == StoryboardStatus.changes_requested:
        storyboard_review.board_feedback(seen.decisions, board)
    if editable:
        with st.expander("Settings"):
            w.settings_form(PAGE, user, board)
        w.frames_toolbar(PAGE, user, board)
        w.frames_progress(PAGE, user, board.id)
    st.subheader("Scenes")
    _scenes(user, board, scenes, seen, editable)
    if editable:
        w.add_scene_form(PAGE, user, board)
    _review(user, board, scenes, seen, may_edit)
    _render(user, board, scenes)
