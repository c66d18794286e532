"""Review and approval: a state machine over storyboards, every decision kept with who and when.

draft / changes_requested --submit--> in_review
in_review --a scene's changes requested, or the whole board's--> changes_requested
in_review --every scene approved (one by one, or all at once)--> approved
approved --any edit--> draft (see storyboards.py)
Only reviewers and admins decide, never on their own submission.
"""

from __future__ import annotations

from sqlmodel import Session, select

from core.auth import require
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import Review, Scene, Storyboard, StoryboardStatus, StoryboardVersion, User, utcnow
from core.services.storyboards import get_storyboard, scenes_of

SUBMITTABLE = (StoryboardStatus.draft, StoryboardStatus.changes_requested)


def _snapshot(board: Storyboard, scenes: list[Scene]) -> dict:
    keep = ("title", "aspect_ratio", "transition", "continuity", "call_to_action", "music_prompt")
    scene_keys = ("id", "position", "title", "description", "image_prompt", "motion_prompt",
                  "duration_s", "shot_notes", "frame_id")  # fmt: skip
    return {
        **{k: getattr(board, k) for k in keep},
        "scenes": [{k: getattr(s, k) for k in scene_keys} for s in scenes],
    }


def submit(*, session: Session, actor: User, storyboard_id: str) -> Storyboard:
    require(actor, "storyboard.edit")
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    if board.status not in SUBMITTABLE:
        raise Conflict(f"Only a draft or a storyboard with changes requested can be submitted; "
                       f"this one is {board.status}.")  # fmt: skip
    scenes = scenes_of(session, board.id)
    board.version += 1
    board.status, board.submitted_by, board.submitted_at = (
        StoryboardStatus.in_review, actor.id, utcnow())  # fmt: skip
    for scene in scenes:
        scene.review_status = "pending"
    session.add_all([board, *scenes])
    session.add(
        StoryboardVersion(
            storyboard_id=board.id,
            version=board.version,
            snapshot=_snapshot(board, scenes),
            submitted_by=actor.id,
        )
    )
    session.flush()
    return board


def _reviewable(session: Session, actor: User, storyboard_id: str) -> Storyboard:
    require(actor, "review")
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    if board.status != StoryboardStatus.in_review:
        raise Conflict(f"This storyboard is {board.status}, not awaiting review.")
    if board.submitted_by == actor.id:
        raise PermissionDenied("You submitted this storyboard; another reviewer must decide.")
    return board


def _record(session, board, actor, decision, comment, scene_id=None) -> None:
    session.add(
        Review(
            storyboard_id=board.id,
            version=board.version,
            scene_id=scene_id,
            reviewer_id=actor.id,
            decision=decision,
            comment=comment.strip(),
        )
    )


def _settle(session: Session, board: Storyboard, scenes: list[Scene]) -> Storyboard:
    if any(s.review_status == "changes_requested" for s in scenes):
        board.status = StoryboardStatus.changes_requested
    elif all(s.review_status == "approved" for s in scenes):
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
    _record(session, board, actor, decision, comment, scene.id)
    return _settle(session, board, scenes)


def approve(*, session: Session, actor: User, storyboard_id: str, comment: str = "") -> Storyboard:
    """Approve every scene at once."""
    board = _reviewable(session, actor, storyboard_id)
    scenes = scenes_of(session, board.id)
    for scene in scenes:
        scene.review_status = "approved"
    _record(session, board, actor, "approve", comment)
    return _settle(session, board, scenes)


def request_changes(
    *, session: Session, actor: User, storyboard_id: str, comment: str
) -> Storyboard:
    board = _reviewable(session, actor, storyboard_id)
    if not (comment or "").strip():
        raise ValidationError({"comment": "comment: say what should change"})
    _record(session, board, actor, "request_changes", comment)
    board.status = StoryboardStatus.changes_requested
    board.updated_at = utcnow()
    session.add(board)
    session.flush()
    return board


def review_queue(*, session: Session, actor: User) -> list[Storyboard]:
    """Storyboards awaiting this reviewer: in review and not their own submission."""
    require(actor, "review")
    query = select(Storyboard).where(Storyboard.status == StoryboardStatus.in_review)
    query = query.where(Storyboard.submitted_by != actor.id).order_by(Storyboard.submitted_at)
    return list(session.exec(query))


def history(*, session: Session, actor: User, storyboard_id: str) -> list[Review]:
    require(actor, "read")
    query = select(Review).where(Review.storyboard_id == storyboard_id)
    return list(session.exec(query.order_by(Review.created_at)))


def versions(*, session: Session, actor: User, storyboard_id: str) -> list[StoryboardVersion]:
    require(actor, "read")
    query = select(StoryboardVersion).where(StoryboardVersion.storyboard_id == storyboard_id)
    return list(session.exec(query.order_by(StoryboardVersion.version)))
