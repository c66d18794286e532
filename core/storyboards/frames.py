"""Frames: a still per scene, drawn on the draft engine or a Replicate image model.

Each request makes new variants (a fresh seed each, so variants differ); the scene keeps the one
a person chooses (`Scene.frame_id`), else the newest finished one is what a render starts from.
Frames belong to the storyboard: making or choosing one is an edit, so it is refused while the
storyboard is under review and sends an approved one back for review.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlmodel import Session, col, select

from core import catalog
from core.accounts.auth import require
from core.errors import ValidationError
from core.generation import service as gen
from core.generation import submissions
from core.models import Generation, Scene, Status, Storyboard, User
from core.storyboards import editing as sb

MAX_VARIANTS = 4


def _image_ratio(ratio: str) -> str:
    return ratio if ratio in catalog.ASPECT_RATIOS_IMAGE else "9:16"


def _targets(session: Session, storyboard_id: str, scene_id: str | None) -> list[Scene]:
    scenes = sb.scenes_of(session, storyboard_id)
    if scene_id is None:
        return scenes
    chosen = [s for s in scenes if s.id == scene_id]
    if not chosen:
        raise ValidationError({"scene": f"scene: {scene_id} is not in this storyboard"})
    return chosen


def _frame_row(session, actor, board, scene, spec, seed) -> Generation:
    params = {"aspect_ratio": _image_ratio(board.aspect_ratio)}
    if spec.param("seed") is not None:
        params["seed"] = seed
    prompt = sb.image_prompt_of(scene)
    if not prompt:
        where = f"scene {scene.position + 1}"
        raise ValidationError({"image_prompt": f"{where}: write an image prompt first"})
    req = gen.Request("image", prompt, spec.id, params)
    [row] = gen.plan(session=session, actor=actor, campaign_id=board.campaign_id, req=req)
    row.scene_id = scene.id
    return row


def plan_frames(
    *,
    session: Session,
    actor: User,
    storyboard_id: str,
    scene_id: str | None = None,
    model: str | None = None,
    variants: int = 1,
) -> list[Generation]:
    """The unsaved frame rows for every scene (or one): a quote before anything is spent."""
    require(actor, "storyboard.edit")
    if not 1 <= variants <= MAX_VARIANTS:
        raise ValidationError({"variants": f"variants: 1 to {MAX_VARIANTS}"})
    board = sb.get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    spec = gen.check_kind("image", model or catalog.default_model("image"))
    rows = []
    for scene in _targets(session, board.id, scene_id):
        for _ in range(variants):
            seed = secrets.randbelow(2**31 - 1)
            rows.append(_frame_row(session, actor, board, scene, spec, seed))
    return rows


def generate_frames(
    *, session: Session, actor: User, storyboard_id: str, **choice: Any
) -> tuple[list[Generation], str | None]:
    """Queue new frames for every scene (or one); returns the rows and any budget warning.

    `choice`: plan_frames' scene_id, model and variants. The whole batch is checked against the
    budget first, so it is queued whole or not at all.
    """
    key = choice.pop("submission_key", None)
    rows = plan_frames(session=session, actor=actor, storyboard_id=storyboard_id, **choice)
    sb._editable(session, actor, storyboard_id)
    try:
        warning = gen.save_and_enqueue(session, rows, independent=True, submission_key=key)
    except submissions.AlreadySubmitted as repeat:
        return repeat.rows, None
    return rows, warning


def frames_of(*, session: Session, actor: User, storyboard_id: str) -> dict[str, list[Generation]]:
    """scene id -> its frame images, newest first (every status, so progress can be shown)."""
    sb.get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    ids = [s.id for s in sb.scenes_of(session, storyboard_id)]
    found: dict[str, list[Generation]] = {i: [] for i in ids}
    if not ids:
        return found
    query = select(Generation).where(col(Generation.scene_id).in_(ids), Generation.kind == "image")
    for row in session.exec(query.order_by(col(Generation.created_at).desc())):
        if row.scene_id is None:  # never: the query asks for these scenes' frames
            raise KeyError(row.scene_id)
        found[row.scene_id].append(row)
    return found


def current_frame(scene: Scene, variants: list[Generation]) -> Generation | None:
    """The frame a render would start from: the chosen one, else the newest finished one."""
    if scene.frame_id:
        chosen = next((v for v in variants if v.id == scene.frame_id), None)
        if chosen is not None:
            return chosen
    return next((v for v in variants if v.status == Status.succeeded), None)


def choose_variant(*, session: Session, actor: User, scene_id: str, generation_id: str) -> Scene:
    """Keep one of this scene's own frames (a frame of another scene is refused)."""
    row = session.get(Generation, generation_id)
    if row is None or row.scene_id != scene_id:
        raise ValidationError({"frame": "frame: choose one of this scene's own frames"})
    return sb.choose_frame(session=session, actor=actor, scene_id=scene_id, generation_id=row.id)


def off_ratio(
    board: Storyboard, scenes: list[Scene], found: dict[str, list[Generation]]
) -> list[int]:
    """Numbers of the scenes whose frame (`found`: `frames_of`) was made for another aspect
    ratio than the storyboard's now (its ratio changed after): the render would crop them."""
    wanted = _image_ratio(board.aspect_ratio)
    off = []
    for scene in scenes:
        frame = current_frame(scene, found.get(scene.id, []))
        if frame is not None and (frame.params or {}).get("aspect_ratio", wanted) != wanted:
            off.append(scene.position + 1)
    return off
