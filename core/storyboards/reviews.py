"""Review and approval: a state machine over storyboards, every decision kept with who and when.

draft / changes_requested --submit--> in_review
in_review --every scene decided, one or more with changes requested--> changes_requested
in_review --the whole board's changes requested--> changes_requested
in_review --every scene approved (one by one, or the rest at once)--> approved
approved --any edit--> draft (see storyboards.py)
Only reviewers and admins decide, never on their own submission.

A scene's request for changes does not send the board back by itself, so a reviewer can comment
on several scenes in one pass; it goes back once every scene is decided, or at once with a
whole-board request (whose comment may then be left out). "Approve the whole storyboard" approves
the scenes still pending; a scene with changes requested is overridden only by approving it.

A resubmitted scene keeps its approval if nothing in it (its frame included) changed since the
version that was reviewed, the surviving scenes kept their order, and the board-wide settings
(ratio, transition, continuity, call to action, music, voice) are the same; otherwise every scene is
reviewed again. Each transition starts by taking the database's write lock on the storyboard,
so two reviewers deciding its last scenes at once cannot both miss that it is settled.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from core.accounts.auth import require
from core.db import get_or_not_found, lock_row
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import (
    Review,
    Scene,
    Storyboard,
    StoryboardStatus,
    StoryboardVersion,
    User,
    table_of,
    utcnow,
)
from core.storyboards.editing import STATUS_WORDS, get_storyboard, scenes_of
from core.storyboards.frames import current_frame, frames_of

SUBMITTABLE = (StoryboardStatus.draft, StoryboardStatus.changes_requested)
BOARD_SETTINGS = ("aspect_ratio", "transition", "continuity", "call_to_action", "music_prompt",
                  "voice_model", "voice_params")  # fmt: skip
SCENE_CONTENT = ("title", "description", "image_prompt", "motion_prompt", "duration_s",
                 "shot_notes", "voice_line", "frame_id")  # fmt: skip
MAX_REPLY_CHARS = 4000
# Versions submitted before voice-overs existed had none: what they hold, in today's terms.
_BEFORE_VOICE: dict[str, Any] = {"voice_model": None, "voice_params": {}, "voice_line": ""}


def as_then(snapshot: dict, key: str) -> Any:
    """`key` of a submitted version's snapshot, in today's terms."""
    return snapshot.get(key, _BEFORE_VOICE.get(key))


def current_snapshot(session: Session, actor: User, board: Storyboard, scenes: list[Scene]) -> dict:
    """The board as reviewers see it; a scene's frame is the one shown and rendered (the chosen
    one, else the newest), so a new frame is a change."""
    found = frames_of(session=session, actor=actor, storyboard_id=board.id)
    shown = {s.id: current_frame(s, found.get(s.id, [])) for s in scenes}

    def scene(s: Scene) -> dict:
        content = {k: getattr(s, k) for k in SCENE_CONTENT}
        frame = shown[s.id]
        content["frame_id"] = frame.id if frame else None
        return {"id": s.id, "position": s.position, **content}

    return {
        "title": board.title,
        **{k: getattr(board, k) for k in BOARD_SETTINGS},
        "scenes": [scene(s) for s in scenes],
    }


def _kept_approvals(last: dict | None, now: dict) -> set[str]:
    """Ids of the scenes whose approval carries over from the last submitted version."""
    if not last or any(as_then(last, k) != now.get(k) for k in BOARD_SETTINGS):
        return set()
    before = {s["id"]: s for s in last.get("scenes", [])}
    survivors = [s["id"] for s in now["scenes"] if s["id"] in before]
    if survivors != [s["id"] for s in last["scenes"] if s["id"] in survivors]:
        return set()  # the story's order changed
    return {
        s["id"] for s in now["scenes"]
        if s["id"] in before and all(as_then(before[s["id"]], k) == s[k] for k in SCENE_CONTENT)
    }  # fmt: skip


def submit(*, session: Session, actor: User, storyboard_id: str) -> Storyboard:
    require(actor, "storyboard.edit")
    lock_row(session, table_of(Storyboard).c.updated_at, storyboard_id)
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    if board.status not in SUBMITTABLE:
        raise Conflict(f"Only a draft or a storyboard with changes requested can be submitted; "
                       f"this one is {STATUS_WORDS.get(board.status, board.status)}.")  # fmt: skip
    scenes = scenes_of(session, board.id)
    last = _last_snapshot(session, board.id)
    board.version += 1
    board.status, board.submitted_by, board.submitted_at = (
        StoryboardStatus.in_review, actor.id, utcnow())  # fmt: skip
    snapshot = current_snapshot(session, actor, board, scenes)
    kept = _kept_approvals(last, snapshot)
    for scene in scenes:
        if not (scene.review_status == "approved" and scene.id in kept):
            scene.review_status = "pending"
    session.add_all([board, *scenes])
    session.add(
        StoryboardVersion(
            storyboard_id=board.id,
            version=board.version,
            snapshot=snapshot,
            submitted_by=actor.id,
        )
    )
    session.flush()
    return board


def _last_snapshot(session: Session, storyboard_id: str) -> dict | None:
    """The board as it was in the last submitted version."""
    last = session.exec(
        select(StoryboardVersion)
        .where(StoryboardVersion.storyboard_id == storyboard_id)
        .order_by(col(StoryboardVersion.version).desc())
    ).first()  # fmt: skip
    return last.snapshot if last else None


def _reviewable(session: Session, actor: User, storyboard_id: str) -> Storyboard:
    require(actor, "review")
    lock_row(session, table_of(Storyboard).c.updated_at, storyboard_id)
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    if board.status != StoryboardStatus.in_review:
        words = STATUS_WORDS.get(board.status, board.status)
        raise Conflict(f"This storyboard is {words}, not awaiting review.")
    if board.submitted_by == actor.id:
        raise PermissionDenied("You submitted this storyboard; another reviewer must decide.")
    return board


def _record(session, board, actor, decision, comment, scene: Scene | None = None) -> None:
    session.add(
        Review(
            storyboard_id=board.id,
            version=board.version,
            scene_id=scene.id if scene else None,
            scene_title=scene.title if scene else "",
            reviewer_id=actor.id,
            decision=decision,
            comment=comment.strip(),
        )
    )


def _settle(session: Session, board: Storyboard, scenes: list[Scene]) -> Storyboard:
    if any(s.review_status == "pending" for s in scenes):
        pass  # still in review: the reviewer goes on through the other scenes
    elif any(s.review_status == "changes_requested" for s in scenes):
        board.status = StoryboardStatus.changes_requested
    else:
        board.status, board.approved_at = StoryboardStatus.approved, utcnow()
    board.updated_at = utcnow()
    session.add_all([board, *scenes])
    session.flush()
    return board


def review_scene(
    *, session: Session, actor: User, storyboard_id: str, scene_id: str, decision: str,
    comment: str = "",
) -> Storyboard:  # fmt: skip
    board = _reviewable(session, actor, storyboard_id)
    if decision not in ("approve", "request_changes"):
        raise ValidationError({"decision": "decision: approve or request_changes"})
    if decision == "request_changes" and not comment.strip():
        raise ValidationError({"comment": "comment: say what should change"})
    scenes = scenes_of(session, board.id)
    scene = next((s for s in scenes if s.id == scene_id), None)
    if scene is None:
        raise ValidationError({"scene": f"scene: {scene_id} is not in this storyboard"})
    scene.review_status = "approved" if decision == "approve" else "changes_requested"
    _record(session, board, actor, decision, comment, scene)
    return _settle(session, board, scenes)


def approve(*, session: Session, actor: User, storyboard_id: str, comment: str = "") -> Storyboard:
    """Approve every scene still pending; a scene with changes requested keeps them (approve
    that scene itself to overrule), so the board then goes back instead."""
    board = _reviewable(session, actor, storyboard_id)
    scenes = scenes_of(session, board.id)
    for scene in scenes:
        if scene.review_status == "pending":
            scene.review_status = "approved"
            _record(session, board, actor, "approve", "", scene)  # each scene's state, kept
    settled = _settle(session, board, scenes)
    # The history says what happened: the board approved, or (going back for the scenes with
    # changes requested) only the reviewer's comment, never an approval that did not happen.
    if settled.status == StoryboardStatus.approved:
        _record(session, board, actor, "approve", comment)
    elif comment.strip():
        _record(session, board, actor, "comment", comment)
    session.flush()
    return settled


def request_changes(
    *, session: Session, actor: User, storyboard_id: str, comment: str
) -> Storyboard:
    board = _reviewable(session, actor, storyboard_id)
    scenes_asked = any(s.review_status == "changes_requested" for s in scenes_of(session, board.id))
    if not (comment or "").strip() and not scenes_asked:
        raise ValidationError(
            {"comment": "comment: say what should change (or ask on the scenes first)"}
        )
    _record(session, board, actor, "request_changes", comment or "")
    board.status = StoryboardStatus.changes_requested
    board.updated_at = utcnow()
    session.add(board)
    session.flush()
    return board


def _awaiting(actor: User) -> tuple[Any, ...]:
    """Storyboards awaiting this reviewer: in review and not their own submission."""
    return (Storyboard.status == StoryboardStatus.in_review, Storyboard.submitted_by != actor.id)


def review_queue(*, session: Session, actor: User) -> list[Storyboard]:
    """Storyboards awaiting this reviewer, the longest waiting first."""
    require(actor, "review")
    query = select(Storyboard).where(*_awaiting(actor)).order_by(col(Storyboard.submitted_at))
    return list(session.exec(query))


def awaiting_count(*, session: Session, actor: User) -> int:
    """How many storyboards `review_queue` holds, counted by the database (the navigation asks
    on every run)."""
    require(actor, "review")
    return session.exec(select(func.count(col(Storyboard.id))).where(*_awaiting(actor))).one()


def history(*, session: Session, actor: User, storyboard_id: str) -> list[Review]:
    """Every decision, oldest first, each with its replies (`Review.replies`) under it: a reply
    is part of a decision's thread, never a decision of its own."""
    get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    query = select(Review).where(Review.storyboard_id == storyboard_id)
    rows = list(session.exec(query.order_by(col(Review.created_at), col(Review.id))))
    threads: dict[str, list[Review]] = {}
    for row in rows:
        if row.reply_to:
            threads.setdefault(row.reply_to, []).append(row)
    decisions = [row for row in rows if not row.reply_to]
    for row in decisions:
        row._replies = threads.get(row.id, [])
    return decisions


def reply(*, session: Session, actor: User, review_id: str, text: str) -> Review:
    """A reply under a decision, by anyone on the team who may see its storyboard (its creative,
    reviewers, admins). A reply to a reply joins the same thread: threads stay one level deep,
    as people read them."""
    require(actor, "work.view")
    said = (text or "").strip()
    if not said:
        raise ValidationError({"text": "reply: write something first"})
    if len(said) > MAX_REPLY_CHARS:
        raise ValidationError({"text": f"reply: at most {MAX_REPLY_CHARS} characters"})
    parent = get_or_not_found(session, Review, review_id, "review comment")
    if parent.reply_to:
        parent = get_or_not_found(session, Review, parent.reply_to, "review comment")
    get_storyboard(session=session, actor=actor, storyboard_id=parent.storyboard_id)
    row = Review(
        storyboard_id=parent.storyboard_id,
        version=parent.version,
        scene_id=parent.scene_id,
        scene_title=parent.scene_title,
        reviewer_id=actor.id,
        decision="reply",
        comment=said,
        reply_to=parent.id,
    )
    session.add(row)
    session.flush()
    return row


def versions(*, session: Session, actor: User, storyboard_id: str) -> list[StoryboardVersion]:
    get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    query = select(StoryboardVersion).where(StoryboardVersion.storyboard_id == storyboard_id)
    return list(session.exec(query.order_by(col(StoryboardVersion.version))))
