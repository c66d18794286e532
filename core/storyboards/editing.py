"""Storyboards: made from a brief, then edited scene by scene (reorder, add, split, delete, edit).

Any edit to an approved storyboard sends it back to draft: it needs review again. A storyboard
under review is frozen until the reviewers decide.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core import catalog
from core.accounts.auth import can, require
from core.campaigns.campaigns import get_campaign
from core.db import get_or_not_found
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import (
    Brief,
    Review,
    Scene,
    Storyboard,
    StoryboardStatus,
    User,
    table_of,
    utcnow,
)
from core.storyboards.checks import against_brief, where_mandatories_are
from core.storyboards.plan import plan_scenes

TRANSITIONS = ("cut", "crossfade")
STATUS_WORDS = {"draft": "a draft", "in_review": "in review",
                "changes_requested": "back with its creative for changes",
                "approved": "approved"}  # fmt: skip
SCENE_FIELDS = ("title", "description", "image_prompt", "motion_prompt", "duration_s", "shot_notes",
                "voice_line")  # fmt: skip
# A storyboard's voice_model that says its ad has no voice-over (None: the draft voice speaks).
NO_VOICE = "none"
MAX_SCENE_S = 30
SCENE = table_of(Scene)
DELETED_WHILE_EDITING = ("This scene was deleted while you were editing; your text is kept below "
                         "— add it as a new scene if you still want it.")  # fmt: skip


class ChangedMeanwhile(Conflict):
    """An edit made from an older version of a scene, or of one deleted since: the person keeps
    their text, to apply again to the scene as it is now."""


def create_from_brief(*, session: Session, actor: User, **brief: Any) -> Storyboard:
    """Save a brief (`save_brief`'s arguments) and make its storyboard at once."""
    saved = save_brief(session=session, actor=actor, **brief)
    return storyboard_from_brief(session=session, actor=actor, brief_id=saved.id)


def save_brief(
    *,
    session: Session,
    actor: User,
    campaign_id: str,
    fields: dict[str, Any],
    raw_text: str = "",
    filename: str = "",
    parser: str = "offline",
) -> Brief:
    """Keep a brief (its fields as a person checked them) without making a storyboard yet."""
    require(actor, "storyboard.edit")
    campaign = get_campaign(session=session, campaign_id=campaign_id)
    brief = Brief(campaign_id=campaign.id, filename=filename, raw_text=raw_text, fields=fields,
                  parser=parser, created_by=actor.id)  # fmt: skip
    session.add(brief)
    session.flush()
    return brief


def list_briefs(*, session: Session, actor: User, campaign_id: str) -> list[Brief]:
    require(actor, "work.view")
    query = select(Brief).where(Brief.campaign_id == campaign_id)
    return list(session.exec(query.order_by(col(Brief.created_at).desc())))


def storyboard_from_brief(*, session: Session, actor: User, brief_id: str) -> Storyboard:
    """A first storyboard (scenes planned from the fields) for a saved brief."""
    require(actor, "storyboard.edit")
    brief = get_or_not_found(session, Brief, brief_id, "brief")
    campaign = get_campaign(session=session, campaign_id=brief.campaign_id)
    fields = brief.fields
    ratios = fields.get("aspect_ratios") or []
    board = Storyboard(
        campaign_id=campaign.id, brief_id=brief.id,
        title=fields.get("title") or fields.get("brand") or campaign.name,
        aspect_ratio=ratios[0] if ratios and ratios[0] in catalog.ASPECT_RATIOS_VIDEO else "16:9",
        call_to_action=fields.get("call_to_action") or "",
        music_prompt=fields.get("music") or fields.get("tone") or "",
        created_by=actor.id,
    )  # fmt: skip
    session.add(board)
    session.flush()
    for position, draft in enumerate(plan_scenes(fields)):
        session.add(Scene(storyboard_id=board.id, position=position, **vars(draft)))
    session.flush()
    return board


def get_storyboard(*, session: Session, actor: User, storyboard_id: str) -> Storyboard:
    """The storyboard, if the actor may see it: work in progress is for the team; a viewer
    (a stakeholder's seat) sees approved storyboards only."""
    require(actor, "read")
    board = get_or_not_found(session, Storyboard, storyboard_id, "storyboard")
    if board.status != StoryboardStatus.approved and not can(actor, "work.view"):
        raise PermissionDenied(f"Your role ({actor.role}) sees approved storyboards only.")
    return board


def image_prompt_of(scene: Scene) -> str:
    """What a scene's frame is made from: its image prompt, else its description, else title."""
    return (scene.image_prompt or scene.description or scene.title).strip()


def motion_prompt_of(scene: Scene) -> str:
    """What a scene's clip is made from: description and motion, else what its frame shows."""
    said = ". ".join(p.strip().rstrip(".") for p in (scene.description, scene.motion_prompt)
                     if p.strip())  # fmt: skip
    return said or image_prompt_of(scene)


def scenes_of(session: Session, storyboard_id: str) -> list[Scene]:
    query = select(Scene).where(Scene.storyboard_id == storyboard_id).order_by(col(Scene.position))
    return list(session.exec(query))


def list_storyboards(
    *, session: Session, actor: User, campaign_id: str | None = None, status: str | None = None
) -> list[Storyboard]:
    require(actor, "read")
    query = select(Storyboard).order_by(col(Storyboard.updated_at).desc())
    if not can(actor, "work.view"):
        query = query.where(Storyboard.status == StoryboardStatus.approved)
    if campaign_id:
        query = query.where(Storyboard.campaign_id == campaign_id)
    if status:
        query = query.where(Storyboard.status == status)
    return list(session.exec(query))


def _editable(session: Session, actor: User, storyboard_id: str) -> Storyboard:
    require(actor, "storyboard.edit")
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    if board.status == StoryboardStatus.in_review:
        raise Conflict("This storyboard is under review; wait for the reviewers' decision.")
    changed(session, board)
    return board


def changed(session: Session, board: Storyboard) -> None:
    """The storyboard changed (a scene, a setting, a frame): an approved one needs review again."""
    board.mark_changed()
    session.add(board)


def _renumber(scenes: list[Scene]) -> None:
    for position, scene in enumerate(scenes):
        scene.position = position


def _check_scene(changes: dict[str, Any], scene: Scene | None = None) -> dict[str, Any]:
    """The changes if they are good; the messages name the scene, as they may show above all
    of the storyboard's scenes."""
    unknown = set(changes) - set(SCENE_FIELDS)
    if unknown:
        raise ValidationError({k: f"{k}: not a scene field" for k in unknown})
    which = ""
    if scene is not None:
        which = f"Scene {scene.position + 1}" + (f" “{scene.title}”" if scene.title else "") + ": "
    if "duration_s" in changes:
        seconds = changes["duration_s"]
        if not isinstance(seconds, int) or not 1 <= seconds <= MAX_SCENE_S:
            raise ValidationError(
                {"duration_s": f"{which}duration: whole seconds from 1 to {MAX_SCENE_S}"}
            )
    _check_prompt_lengths(changes, scene, which)
    if len(line := str(changes.get("voice_line") or "")) > catalog.MAX_PROMPT_CHARS:
        raise ValidationError({"voice_line": f"{which}voice line: {len(line):,} characters; the "
                                             f"limit is {catalog.MAX_PROMPT_CHARS:,}"})  # fmt: skip
    return changes


def _check_prompt_lengths(changes: dict[str, Any], scene: Scene | None, which: str) -> None:
    """The frame's and the clip's prompts, as the scene would make them, within the models'
    prompt limit: refused here, where the text is typed, not at render time after approval."""
    merged = Scene(**{f: getattr(scene, f) for f in SCENE_FIELDS if scene is not None})
    for field, value in changes.items():
        setattr(merged, field, value)
    for what, prompt in (("frame", image_prompt_of(merged)), ("clip", motion_prompt_of(merged))):
        if len(prompt) > catalog.MAX_PROMPT_CHARS:
            raise ValidationError({"description": (
                f"{which}the {what}'s prompt would be {len(prompt):,} characters; the limit is "
                f"{catalog.MAX_PROMPT_CHARS:,}: shorten the description or prompts"
            )})  # fmt: skip


def update_storyboard(
    *, session: Session, actor: User, storyboard_id: str, **changes
) -> Storyboard:
    board = _editable(session, actor, storyboard_id)
    if "aspect_ratio" in changes and changes["aspect_ratio"] not in catalog.ASPECT_RATIOS_VIDEO:
        allowed = ", ".join(catalog.ASPECT_RATIOS_VIDEO)
        raise ValidationError({"aspect_ratio": f"Aspect ratio: allowed: {allowed}"})
    if "transition" in changes and changes["transition"] not in TRANSITIONS:
        raise ValidationError({"transition": "Transition: allowed: cut, crossfade"})
    if "voice_model" in changes or "voice_params" in changes:
        changes.update(_checked_voice(board, changes))
    for field in ("title", "aspect_ratio", "transition", "continuity", "call_to_action",
                  "music_prompt", "voice_model", "voice_params"):  # fmt: skip
        if field in changes:
            setattr(board, field, changes.pop(field))
    if changes:
        raise ValidationError({k: f"{k}: not a storyboard field" for k in changes})
    session.flush()
    return board


def _checked_voice(board: Storyboard, changes: dict[str, Any]) -> dict[str, Any]:
    """The voice and its settings, checked against the catalog. The settings belong to one
    model (a voice id of one is not a voice of another), so a new voice starts from its own
    defaults unless settings come with it."""
    model = changes.get("voice_model", board.voice_model) or None
    default = catalog.default_model("voice")
    if "voice_params" in changes:
        params = dict(changes["voice_params"] or {})
    else:
        same = (model or default) == (board.voice_model or default)
        params = dict(board.voice_params) if same else {}
    if model == NO_VOICE:
        return {"voice_model": model, "voice_params": {}}
    voices = [m.id for m in catalog.models_for("voice")]
    if model is not None and model not in voices:
        allowed = ", ".join([*voices, NO_VOICE])
        raise ValidationError({"voice_model": f"Voice: '{model}' is no voice (allowed: {allowed})"})
    spec = catalog.get_model(model or default)
    try:
        typed = catalog.validate(spec.id, params)
    except ValidationError as error:
        raise ValidationError(
            {k: f"Voice ({spec.title}): {v}" for k, v in error.fields.items()}
        ) from None
    return {"voice_model": model, "voice_params": {k: typed[k] for k in params}}


def _scene(session: Session, scene_id: str) -> Scene:
    return get_or_not_found(session, Scene, scene_id, "scene")


def update_scene(
    *, session: Session, actor: User, scene_id: str, expected_version: int | None = None,
    **changes: Any,
) -> Scene:  # fmt: skip
    """Change a scene's fields. `expected_version`: the scene's version the edit was made from
    (a form's); a scene changed or deleted since is refused with a Conflict naming who changed
    it and when, and nothing is saved, so nobody's edit silently replaces another's."""
    scene = session.get(Scene, scene_id)
    if scene is None and expected_version is not None:
        raise ChangedMeanwhile(DELETED_WHILE_EDITING)
    scene = scene or _scene(session, scene_id)
    _editable(session, actor, scene.storyboard_id)
    checked = _check_scene(changes, scene)
    _next_version(session, actor, scene, expected_version)
    for field, value in checked.items():
        setattr(scene, field, value)
    session.add(scene)
    session.flush()
    return scene


def _next_version(session: Session, actor: User, scene: Scene, expected: int | None) -> None:
    """Bump the scene's version, in one conditional UPDATE: of two edits made from the same
    version, however close together, exactly one gets through."""
    query = sa.update(SCENE).where(SCENE.c.id == scene.id)
    if expected is not None:
        query = query.where(SCENE.c.version == expected)
    bumped = session.exec(query.values(version=SCENE.c.version + 1, updated_by=actor.id,
                                       updated_at=utcnow()))  # fmt: skip
    session.refresh(scene)  # the version (and, refused, who changed it) as now saved
    if bumped.rowcount != 1:
        raise ChangedMeanwhile(changed_meanwhile(session, scene))


def changed_meanwhile(session: Session, scene: Scene) -> str:
    """What to tell someone whose edit came from an older version of `scene`."""
    who = session.get(User, scene.updated_by) if scene.updated_by else None
    name = (who.name or who.username) if who else "someone"
    when = ""
    if scene.updated_at is not None:
        today = scene.updated_at.date() == utcnow().date()
        when = f" at {scene.updated_at:{'%H:%M' if today else '%Y-%m-%d %H:%M'}} UTC"
    return (f"This scene was changed by {name}{when} while you were editing; your text is kept "
            "below — re-apply it.")  # fmt: skip


def add_scene(
    *, session: Session, actor: User, storyboard_id: str, position: int | None = None, **fields
) -> Scene:
    _editable(session, actor, storyboard_id)
    scenes = scenes_of(session, storyboard_id)
    scene = Scene(storyboard_id=storyboard_id, **_check_scene(fields))
    scenes.insert(len(scenes) if position is None else max(0, position), scene)
    _renumber(scenes)
    session.add_all(scenes)
    session.flush()
    return scene


def delete_scene(*, session: Session, actor: User, scene_id: str) -> None:
    scene = _scene(session, scene_id)
    _editable(session, actor, scene.storyboard_id)
    remaining = [s for s in scenes_of(session, scene.storyboard_id) if s.id != scene.id]
    if not remaining:
        raise Conflict("A storyboard needs at least one scene.")
    # Decisions on it stay in the history, by the scene's title (kept on each decision).
    session.execute(sa.update(Review).where(col(Review.scene_id) == scene.id).values(scene_id=None))
    session.delete(scene)
    _renumber(remaining)
    session.add_all(remaining)
    session.flush()


def move_scene(*, session: Session, actor: User, scene_id: str, position: int) -> list[Scene]:
    scene = _scene(session, scene_id)
    _editable(session, actor, scene.storyboard_id)
    scenes = [s for s in scenes_of(session, scene.storyboard_id) if s.id != scene.id]
    scenes.insert(max(0, min(position, len(scenes))), scene)
    _renumber(scenes)
    session.add_all(scenes)
    session.flush()
    return scenes


def split_scene(*, session: Session, actor: User, scene_id: str) -> Scene:
    """Two scenes sharing the time; the second starts as a copy to be rewritten."""
    scene = _scene(session, scene_id)
    if scene.duration_s < 2:
        raise Conflict("A 1-second scene cannot be split.")
    second_s = scene.duration_s // 2
    update_scene(session=session, actor=actor, scene_id=scene.id,
                 duration_s=scene.duration_s - second_s)  # fmt: skip
    copy = {f: getattr(scene, f) for f in SCENE_FIELDS} | {"duration_s": second_s}
    copy["title"] = f"{scene.title} (cont.)"
    copy["voice_line"] = ""  # said once, in the first half; the second gets its own if wanted
    return add_scene(session=session, actor=actor, storyboard_id=scene.storyboard_id,
                     position=scene.position + 1, **copy)  # fmt: skip


def choose_frame(*, session: Session, actor: User, scene_id: str, generation_id: str) -> Scene:
    from core.models import Generation

    scene = _scene(session, scene_id)
    frame = session.get(Generation, generation_id)
    if frame is None or frame.kind != "image" or frame.status != "succeeded":
        raise ValidationError({"frame": "frame: choose a finished image"})
    board = session.get(Storyboard, scene.storyboard_id)
    if board is None:  # never: a scene's storyboard_id is a foreign key
        raise AttributeError(f"scene {scene.id} has no storyboard {scene.storyboard_id}")
    if frame.campaign_id != board.campaign_id:
        raise ValidationError({"frame": "frame: choose an image of this storyboard's campaign"})
    _editable(session, actor, scene.storyboard_id)
    scene.frame_id = frame.id
    session.add(scene)
    session.flush()
    return scene


def _brief_and_scenes(
    session: Session, actor: User, storyboard_id: str
) -> tuple[Brief | None, list[Scene]]:
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    brief = session.get(Brief, board.brief_id) if board.brief_id else None
    return brief, scenes_of(session, board.id)


def brief_warnings(*, session: Session, actor: User, storyboard_id: str) -> list[str]:
    """Where the storyboard's scenes depart from its brief (none for a board without one)."""
    brief, scenes = _brief_and_scenes(session, actor, storyboard_id)
    return [] if brief is None else against_brief(brief.fields, scenes)


def mandatory_places(*, session: Session, actor: User, storyboard_id: str) -> list[str]:
    """Where each of the brief's mandatories is in the storyboard, one line each (none for a
    board without a brief)."""
    brief, scenes = _brief_and_scenes(session, actor, storyboard_id)
    return [] if brief is None else where_mandatories_are(brief.fields, scenes)


def briefed_ratios(*, session: Session, actor: User, storyboard_id: str) -> list[str]:
    """The aspect ratios the storyboard's brief asks for besides the board's own, in the brief's
    order: what a render should make too unless told otherwise."""
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    brief = session.get(Brief, board.brief_id) if board.brief_id else None
    asked = (brief.fields.get("aspect_ratios") or []) if brief else []
    return [r for r in asked if isinstance(r, str) and r != board.aspect_ratio]
