"""Review: the storyboards awaiting this reviewer; per scene, what changed since the version
they last decided on; per scene and for the whole storyboard, approve or request changes with a
comment; every decision kept with who and when, and answered in its thread of replies.

A reviewer's own submissions never appear in their queue (core refuses those decisions too).
"""

from __future__ import annotations

import streamlit as st

from core.campaigns import campaigns
from core.models import Scene, Storyboard, User
from core.storyboards import editing as sb
from core.storyboards import frames, reviews
from core.storyboards.changes import Changes
from ui import flash, review_changes, storyboard_review, words
from ui import storyboard_widgets as w
from ui.animatic_panel import animatic_panel
from ui.session import db, display_names, require

PAGE = "review"
SHOWN_KEY = f"{PAGE}_shown"  # (storyboard id, version) on this reviewer's screen


def _own_waiting(user: User) -> int:
    with db() as session:
        boards = sb.list_storyboards(session=session, actor=user, status="in_review")
    return sum(1 for b in boards if b.submitted_by == user.id)


def _pick(user: User, queue: list[Storyboard]) -> Storyboard:
    by_id = {b.id: b for b in queue}
    wanted = st.query_params.get("storyboard")
    if st.session_state.get(f"{PAGE}_board") not in by_id:
        st.session_state[f"{PAGE}_board"] = wanted if wanted in by_id else queue[0].id
    chosen = st.selectbox(
        "Awaiting your review",
        list(by_id),
        key=f"{PAGE}_board",
        format_func=words.distinct(
            {i: f"{b.title} · v{b.version}" for i, b in by_id.items()},
            lambda i: f"submitted {by_id[i].submitted_at:%d %b %H:%M}",
        ).get,
    )
    if st.query_params.get("storyboard") != chosen:
        st.query_params["storyboard"] = chosen
    return by_id[chosen]


def _header(user: User, board: Storyboard) -> None:
    with db() as session:
        campaign = campaigns.get_campaign(session=session, campaign_id=board.campaign_id)
    who = display_names().get(board.submitted_by, "someone")
    st.subheader(f"{board.title} · v{board.version}")
    st.caption(
        f"{campaign.name} · submitted by {who} on {board.submitted_at:%Y-%m-%d %H:%M} UTC "
        f"· {board.aspect_ratio} · {board.transition} · CTA: {board.call_to_action or '—'}"
    )


def _scenes(
    user: User, board: Storyboard, scenes: list[Scene], found: dict, feedback: dict,
    changed: Changes,
) -> None:  # fmt: skip
    for scene in scenes:
        with st.container(border=True):
            w.scene_view(scene, frames.current_frame(scene, found.get(scene.id, [])))
            review_changes.scene(changed, scene.id)
            storyboard_review.show_feedback(feedback.get(scene.id, []), board.version, user=user)
            others_pending = any(s.review_status == "pending" for s in scenes if s.id != scene.id)
            storyboard_review.scene_decision(PAGE, user, board, scene,
                                             others_pending=others_pending)  # fmt: skip


def _decided_meanwhile(user: User, queue: list[Storyboard]) -> None:
    """The storyboard this reviewer had open left the queue by someone else's decision: say so
    (their own clicks on it, made on the older page, were not recorded)."""
    shown = st.session_state.get(SHOWN_KEY)
    if not shown or (shown[0], shown[1]) in {(b.id, b.version) for b in queue}:
        return
    with db() as session:
        board = sb.get_storyboard(session=session, actor=user, storyboard_id=shown[0])
    words = sb.STATUS_WORDS.get(board.status, board.status)
    st.info(f"'{board.title}' (v{shown[1]}) was decided meanwhile by another reviewer: it is "
            f"{words}. Anything you had not sent on it yet was not recorded.")  # fmt: skip
    del st.session_state[SHOWN_KEY]


def render() -> None:
    user = require("review")
    st.title("Review queue")
    own_action = f"{PAGE}_flash" in st.session_state  # this reviewer's decision just settled it
    flash.show(PAGE)
    with db() as session:
        queue = reviews.review_queue(session=session, actor=user)
    if not own_action:
        _decided_meanwhile(user, queue)
    if own := _own_waiting(user):
        st.caption(f"{own} storyboard{'s' * (own != 1)} you submitted await{'s' * (own == 1)} "
                   "another reviewer: nobody decides on their own submission.")  # fmt: skip
    if not queue:
        st.info("Nothing awaits your review.")
        return
    board = _pick(user, queue)
    st.session_state[SHOWN_KEY] = (board.id, board.version)
    _header(user, board)
    changed = review_changes.load(user, board)
    review_changes.board_changes(changed)
    w.brief_departures(user, board)
    with db() as session:
        scenes = sb.scenes_of(session, board.id)
        found = frames.frames_of(session=session, actor=user, storyboard_id=board.id)
    decisions = storyboard_review.decisions(user, board)
    w.frames_off_ratio(board, scenes, found)
    with st.expander("Animatic: the storyboard played as a rough cut", expanded=True):
        animatic_panel(user, board, key=f"{PAGE}_animatic")
    _scenes(user, board, scenes, found, storyboard_review.scene_feedback(decisions), changed)
    review_changes.removed(changed)
    st.markdown("**The whole storyboard**")
    storyboard_review.board_decision(PAGE, user, board)
    with st.expander("Review history", expanded=True):
        storyboard_review.history(decisions, scenes, user=user)
