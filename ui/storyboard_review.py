"""A storyboard's review side: its submitted versions (readable as they were) and every decision
with who and when, each with its thread of replies; the reviewers' per-scene and
whole-storyboard decisions."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.models import Review, Scene, Storyboard, User
from core.storyboards import reviews
from ui import flash, words
from ui.session import current_user, db, display_names
from ui.storyboard_widgets import act

DECISIONS = {"approve": "✅ approved", "request_changes": "✏️ changes requested",
             "comment": "💬 commented"}  # fmt: skip


def decisions(user: User, board: Storyboard) -> list[Review]:
    """Every decision on the storyboard, oldest first: read once, shown by the helpers below."""
    with db() as session:
        return reviews.history(session=session, actor=user, storyboard_id=board.id)


def history(rows: list[Review], scenes: list[Scene], *, user: User | None = None) -> None:
    """Every decision, oldest first, its replies indented under it; then a form to reply to
    any comment (`user`: who replies, default the signed-in user)."""
    if not rows:
        st.caption("No review decisions yet.")
        return
    names = display_names()
    numbers = {s.id: s.position + 1 for s in scenes}
    lines = []
    for r in rows:
        what = _about(r, numbers)
        comment = f": “{r.comment}”" if r.comment else ""
        lines.append(
            f"- {r.created_at:%Y-%m-%d %H:%M} UTC · **{names.get(r.reviewer_id, '?')}** "
            f"· v{r.version} · {what} · {DECISIONS.get(r.decision, r.decision)}{comment}"
        )
        lines += [f"    - ↳ {_reply_line(reply, names)}" for reply in r.replies]
    st.markdown("\n".join(lines))
    _history_reply(rows, numbers, user)


def _reply_line(reply: Review, names: dict[str, str]) -> str:
    return (f"**{names.get(reply.reviewer_id, '?')}** replied "
            f"{reply.created_at:%Y-%m-%d %H:%M} UTC: “{reply.comment}”")  # fmt: skip


def _history_reply(rows: list[Review], numbers: dict[str, int], user: User | None) -> None:
    """One form under the history for a reply to any comment in it (a reply button on each
    line would crowd a long history)."""
    said = {r.id: r for r in rows if r.comment}
    user = user or current_user()
    if not said or user is None:
        return
    slot = "history_reply"
    flash.show(slot)
    names = display_names()
    key = flash.form_key(slot, "form")
    with st.form(key):
        chosen = st.selectbox(
            "Reply to", list(said)[::-1], key=f"{key}_to",
            format_func=words.distinct({i: _short(r, numbers, names) for i, r in said.items()}).get,
        )  # fmt: skip
        text = st.text_area("Your reply", key=f"{key}_text", height=68)
        if st.form_submit_button("Send reply"):
            _send(slot, user, chosen, text)


def _short(decision: Review, numbers: dict[str, int], names: dict[str, str]) -> str:
    said = decision.comment if len(decision.comment) <= 60 else decision.comment[:59] + "…"
    return (f"{names.get(decision.reviewer_id, '?')} · v{decision.version} · "
            f"{_about(decision, numbers)}: “{said}”")  # fmt: skip


def _send(slot: str, user: User, review_id: str, text: str) -> None:
    def sent(_reply: Review) -> str:
        flash.next_round(slot, "form")  # the form starts empty again
        return "Reply sent."

    act(slot, user, sent, reviews.reply, review_id=review_id, text=text)


def thread(decision: Review, *, user: User | None, names: dict[str, str]) -> None:
    """A decision's replies under it, and a Reply button (for a decision with words to answer)."""
    for reply in decision.replies:
        st.caption(f"↳ {_reply_line(reply, names)}")
    slot = f"thread_{decision.id}"
    flash.show(slot)
    if user is None or not (decision.comment or decision.replies):
        return
    with st.popover("Reply", icon=":material/reply:"):
        key = flash.form_key(slot, "form")
        with st.form(key):
            text = st.text_area("Your reply", key=f"{key}_text", height=68)
            if st.form_submit_button("Send reply"):
                _send(slot, user, decision.id, text)


def _about(decision: Review, numbers: dict[str, int]) -> str:
    if decision.scene_id:
        return f"scene {numbers.get(decision.scene_id, '?')}"
    if decision.scene_title:
        return f"a deleted scene (“{decision.scene_title}”)"
    return "whole storyboard"


def scene_feedback(rows: list[Review]) -> dict[str, list[Review]]:
    """The reviewers' decisions on each scene (by scene id), newest first."""
    by_scene: dict[str, list[Review]] = {}
    for row in reversed(rows):
        if row.scene_id:
            by_scene.setdefault(row.scene_id, []).append(row)
    return by_scene


def board_feedback(rows: list[Review], board: Storyboard, *, user: User | None = None) -> None:
    """What reviewers said of the whole storyboard in its current version, at the top where the
    creative starts (at the end of the history it would be easy to miss), with its replies."""
    names = display_names()
    user = user or current_user()
    for r in reversed(rows):
        if r.scene_id is None and not r.scene_title and r.version == board.version and r.comment:
            icon, _, words = DECISIONS.get(r.decision, r.decision).partition(" ")
            line = (f"{words.capitalize()} on the whole storyboard (v{r.version}) by "
                    f"{names.get(r.reviewer_id, '?')}: “{r.comment}”")  # fmt: skip
            (st.warning if r.decision == "request_changes" else st.info)(line, icon=icon)
            thread(r, user=user, names=names)


def show_feedback(
    rows: list[Review], version: int, *, limit: int = 3, user: User | None = None
) -> None:
    """A scene's latest decisions where its creative and its reviewers look at it, each with its
    replies; only the changes asked of the current version stand out (older ones were answered
    by resubmitting). `user`: who replies (default: the signed-in user)."""
    if not rows:
        return
    names = display_names()
    user = user or current_user()
    for r in rows[:limit]:
        comment = f": “{r.comment}”" if r.comment else ""
        line = (f"{DECISIONS.get(r.decision, r.decision)} in v{r.version} by "
                f"{names.get(r.reviewer_id, '?')}{comment}")  # fmt: skip
        if r.decision == "request_changes" and r.version == version:
            st.warning(line)
        else:
            st.caption(line)
        thread(r, user=user, names=names)


def versions(user: User, board: Storyboard, *, key: str) -> None:
    with db() as session:
        rows = reviews.versions(session=session, actor=user, storyboard_id=board.id)
    if not rows:
        st.caption("Not submitted yet: each submission keeps a readable version.")
        return
    by_number = {v.version: v for v in rows}
    number = st.selectbox("Version", list(by_number)[::-1], key=key,
                          format_func=lambda n: f"v{n}")  # fmt: skip
    chosen = by_number[number]
    names = display_names()
    st.caption(f"Submitted {chosen.submitted_at:%Y-%m-%d %H:%M} UTC by "
               f"{names.get(chosen.submitted_by, '?')}")  # fmt: skip
    snap = chosen.snapshot
    st.markdown(f"**{snap.get('title')}** · {snap.get('aspect_ratio')} · "
                f"{snap.get('transition')} · CTA: {snap.get('call_to_action') or '—'}")  # fmt: skip
    table = [{"#": s["position"] + 1, "title": s["title"], "seconds": s["duration_s"],
              "description": s["description"], "image prompt": s["image_prompt"],
              "motion": s["motion_prompt"], "shot notes": s["shot_notes"]}
             for s in snap.get("scenes", [])]  # fmt: skip
    st.dataframe(table, hide_index=True)


def scene_decision(
    page: str, user: User, board: Storyboard, scene: Scene, *, others_pending: bool
) -> None:
    key = f"{page}_{scene.id}_v{board.version}"
    comment = st.text_input("Comment", key=f"{key}_comment", placeholder="What should change?")
    approve, change = st.columns(2)
    n = scene.position + 1
    if approve.button(f"Approve scene {n}", key=f"{key}_approve"):
        act(page, user, _outcome(f"Approved scene {n}.", f"{key}_comment"), reviews.review_scene,
            storyboard_id=board.id, scene_id=scene.id, decision="approve",
            comment=comment)  # fmt: skip
    if change.button(f"Request changes to scene {n}", key=f"{key}_changes"):
        done = f"Asked for changes to scene {n}."
        if others_pending:
            done += (" Decide the other scenes (it goes back to its creative once every scene "
                     "is decided), or send it back now with Request changes below.")  # fmt: skip
        act(page, user, _outcome(done, f"{key}_comment"), reviews.review_scene,
            storyboard_id=board.id, scene_id=scene.id, decision="request_changes",
            comment=comment)  # fmt: skip


def _board_outcome(board: Storyboard) -> str:
    if board.status == "approved":
        return f"Approved '{board.title}'."
    return (f"Approved the scenes awaiting a decision; '{board.title}' goes back to its creative "
            "for the scenes with changes requested.")  # fmt: skip


def _clearing(sent_comment: str, message: Callable[[Storyboard], str]):
    """`message`, once the decision is recorded, with the comment sent cleared from its box:
    left there, it reads as not sent, and a second click sends it again."""

    def cleared(board: Storyboard) -> str:
        st.session_state.pop(sent_comment, None)
        return message(board)

    return cleared


def _outcome(done: str, sent_comment: str):
    """`done`, and what became of the storyboard if that decision settled it."""

    def message(board: Storyboard) -> str:
        if board.status == "approved":
            return f"{done} Every scene is approved: '{board.title}' is approved."
        if board.status == "changes_requested":
            return (f"{done} Every scene is decided: '{board.title}' goes back to its creative "
                    "with the changes asked for.")  # fmt: skip
        return done

    return _clearing(sent_comment, message)


def board_decision(page: str, user: User, board: Storyboard) -> None:
    key = f"{page}_{board.id}_v{board.version}"
    comment = st.text_area("Comment on the whole storyboard", key=f"{key}_comment")
    approve, change = st.columns(2)
    sent = f"{key}_comment"
    if approve.button("Approve the whole storyboard", key=f"{key}_approve", type="primary"):
        act(page, user, _clearing(sent, _board_outcome), reviews.approve, storyboard_id=board.id,
            comment=comment)  # fmt: skip
    if change.button("Request changes", key=f"{key}_changes"):
        asked = f"Asked for changes to '{board.title}'."
        act(page, user, _clearing(sent, lambda _board: asked), reviews.request_changes,
            storyboard_id=board.id, comment=comment)  # fmt: skip
