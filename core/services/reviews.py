"""Review and approval: a state machine over storyboards, every decision kept with who and when.

draft / changes_requested --submit--> in_review
in_review --every scene decided, one or more with changes requested--> changes_requested
in_review --the whole board's changes requested--> changes_requested
in_review --every scene approved (one by one, or all at once)--> approved
approved --any edit--> draft (see storyboards.py)
Only reviewers and admins decide, never on their own submission.

A scene's request for changes does not send the board back by itself, so a reviewer can comment
on several scenes in one pass; it goes back once every scene is decided, or at once with a
whole-board request (whose comment may then be left out). A resubmitted scene keeps its approval
if nothing in it changed since the version that was reviewed.
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
    reviewed = _scene_snapshots(session, board.id)
    board.version += 1
    board.status, board.submitted_by, board.submitted_at = (
        StoryboardStatus.in_review, actor.id, utcnow())  # fmt: skip
    snapshot = _snapshot(board, scenes)
    for scene, now in zip(scenes, snapshot["scenes"], strict=True):
        if not (scene.review_status == "approved" and reviewed.get(scene.id) == now):
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


def _scene_snapshots(session: Session, storyboard_id: str) -> dict[str, dict]:
    """Each scene as it was in the last submitted version, by id."""
    last = session.exec(
        select(StoryboardVersion)
        .where(StoryboardVersion.storyboard_id == storyboard_id)
        .order_by(StoryboardVersion.version.desc())
    ).first()  # fmt: skip
    return {s["id"]: s for s in last.snapshot.get("scenes", [])} if last else {}


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
