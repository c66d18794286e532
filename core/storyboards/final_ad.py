"""Rendering an approved storyboard into one finished ad.

The work is a graph of generations: per scene an image (unless a frame was chosen or made), a
clip that waits on it and its voice line spoken (if it has one), the music bed, and the
composite that waits on every clip, line and the music, and burns the lines in as captions.
Frames, lines, clips and music run side by side as their inputs allow (a paid render is bound
by Replicate's latency, not ours); with continuity on, each clip waits on the one before it,
whose last frame it starts from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from core import catalog
from core.accounts.auth import require, require_owner_or_admin
from core.campaigns import assets
from core.errors import Conflict, NotFound, ValidationError
from core.generation import service as gen
from core.generation import submissions
from core.jobs import dependents
from core.media import captions as sidecars
from core.media import compose, store
from core.media.ffmpeg import RenderError
from core.models import (
    OPEN_STATUSES,
    Asset,
    Generation,
    Scene,
    Status,
    Storyboard,
    StoryboardStatus,
    User,
)
from core.storyboards.editing import (
    NO_VOICE,
    STATUS_WORDS,
    get_storyboard,
    image_prompt_of,
    motion_prompt_of,
    scenes_of,
)
from core.storyboards.voice import chosen_voice, voice_for


@dataclass(frozen=True)
class RenderPlan:
    composites: list[Generation]
    steps: list[Generation]

    @property
    def total_usd(self) -> float:
        """The quote: every step's estimate (frames, clips, voice lines, music)."""
        return sum(s.estimated_cost_usd for s in self.steps)

    def fitted_lengths(self) -> list[str]:
        """Where a clip is made at another length than its scene (the model accepts only some),
        one line each; the final ad cuts or holds it to the scene's approved length."""
        lines = []
        durations = self.composites[0].params.get("durations", []) if self.composites else []
        clips = [s for s in self.steps if s.kind == "video"]
        for number, (clip, approved) in enumerate(zip(clips, durations, strict=False), 1):
            made = clip.params.get("duration")
            if made is None or made == approved:
                continue
            how = "cut to" if made > approved else "its last frame held to"
            note = " (more than half off: check it)" if abs(made - approved) > approved / 2 else ""
            lines.append(f"Scene {number}: a {made} s clip, {how} {approved} s{note}.")
        return lines


def _kept_frame(session: Session, scene: Scene, frame_model: str) -> Generation | None:
    """The frame a person chose for the scene, whatever made it; else its newest finished frame,
    unless that is a draft placeholder and the render draws paid frames."""
    if scene.frame_id:
        return session.get(Generation, scene.frame_id)
    query = select(Generation).where(
        Generation.scene_id == scene.id, Generation.kind == "image",
        Generation.status == Status.succeeded,
    ).order_by(col(Generation.created_at).desc())  # fmt: skip
    drafts_allowed = catalog.is_draft(frame_model)
    for frame in session.exec(query):
        if drafts_allowed or not catalog.is_draft(str(frame.model)):
            return frame
    return None


class _Chain:
    """Builds the rows of one render (one chain id), each waiting on the inputs it is given."""

    def __init__(self, session: Session, actor: User, board: Storyboard):
        self.session, self.actor, self.board = session, actor, board
        self.rows: list[Generation] = []

    def add(
        self, req: gen.Request, *, parent: Generation | None = None, scene=None,
        inputs: tuple[Generation, ...] = (),
    ) -> Generation:  # fmt: skip
        model_id = req.model or catalog.default_model(req.kind)
        spec = catalog.get_model(model_id)
        try:
            params = catalog.validate(model_id, req.params, prompt=req.prompt)
        except ValidationError as error:
            where = f"scene {scene.position + 1} ({scene.title})" if scene else req.kind
            raise ValidationError({k: f"{where}: {v}" for k, v in error.fields.items()}) from None
        row = gen.new_row(self.session, self.actor, self.board.campaign_id, req, spec, params)
        row.parent_id = parent.id if parent else None
        row.scene_id = scene.id if scene else None
        if planned := [i for i in inputs if any(i is r for r in self.rows)]:  # made here: wait
            row.wait_for(*planned)
        self.rows.append(row)
        return row


def _video_params(model_id: str, seconds: int, ratio: str) -> dict:
    """The clip asked at the nearest length the model accepts (Kling: 5 or 10 s); the composite
    cuts or holds it to the scene's approved length."""
    spec = catalog.get_model(model_id)
    params: dict[str, Any] = {}
    if (fitted := catalog.fitted_duration(spec, seconds)) is not None:
        params["duration"] = fitted
    if spec.param("aspect_ratio"):
        params["aspect_ratio"] = ratio
    return params


def _add_scene(
    chain: _Chain, scene: Scene, previous_clip, video_model: str, frame_model: str
) -> Generation:
    board = chain.board
    if board.continuity and previous_clip is not None:
        start = previous_clip  # its last frame starts this clip
    else:
        start = _kept_frame(chain.session, scene, frame_model)
        if start is None:
            image_params = {"aspect_ratio": _image_ratio(board.aspect_ratio)}
            image = gen.Request("image", image_prompt_of(scene), frame_model, image_params)
            start = chain.add(image, scene=scene)
    prompt = motion_prompt_of(scene)
    req = gen.Request(
        "video",
        prompt,
        video_model,
        _video_params(video_model, scene.duration_s, board.aspect_ratio),
    )
    return chain.add(req, parent=start, scene=scene, inputs=(start,))


def _add_voice(chain: _Chain, scene: Scene, model: str | None, params: dict) -> Generation | None:
    """The scene's line spoken, as written: the brand's rules are for pictures, not for reading
    aloud."""
    line = scene.voice_line.strip()
    if model is None or not line:
        return None
    return chain.add(gen.Request("voice", line, model, params, apply_brand=False), scene=scene)


def _image_ratio(ratio: str) -> str:
    return ratio if ratio in catalog.ASPECT_RATIOS_IMAGE else "9:16"


def render(*, session: Session, submission_key: str | None = None, **plan_args: Any) -> RenderPlan:
    """Queue the render `plan_render` describes (same arguments); refused unless approved. A
    repeat of `submission_key` returns the first submission's render."""
    plan = plan_render(session=session, **plan_args)
    try:
        gen.save_and_enqueue(session, plan.steps, submission_key=submission_key)
    except submissions.AlreadySubmitted as repeat:
        return RenderPlan([r for r in repeat.rows if r.kind == "composite"], repeat.rows)
    return plan


def plan_render(
    *,
    session: Session,
    actor: User,
    storyboard_id: str,
    video_model: str | None = None,
    audio_model: str | None = None,
    image_model: str | None = None,
    extra_ratios: tuple[str, ...] = (),
    resolution: str = "720p",
    voice_model: str | None = None,
    voice_params: dict[str, Any] | None = None,
    captions: bool = True,
) -> RenderPlan:
    """The validated, unsaved steps of a render: its step-by-step quote before anything is spent.

    `image_model` draws the frames of scenes that have none kept (default: a paid frame model
    for a paid video model, see `catalog.frame_model_for`). `voice_model` speaks the scenes'
    voice lines (default: the storyboard's voice, see `voice.voice_for`; NO_VOICE for none),
    with `voice_params` (default: the storyboard's, for its own voice); `captions` burns them
    in."""
    require(actor, "generate")
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    if board.status != StoryboardStatus.approved:
        state = STATUS_WORDS.get(board.status, board.status)
        raise Conflict(f"Only an approved storyboard can be rendered; this one is {state}.")
    video_model = video_model or catalog.default_model("video")
    audio_model = audio_model or catalog.default_model("audio")
    image_model = image_model or catalog.frame_model_for(video_model)
    for model_id, kind in ((video_model, "video"), (audio_model, "audio"), (image_model, "image")):
        gen.check_kind(kind, model_id)
    scenes = scenes_of(session, board.id)
    speaker, speaker_params = voice_for(board, scenes, voice_model, voice_params)
    # A voice asked for is checked even when no scene has a line for it to say.
    for asked in {voice_model, speaker} - {None, NO_VOICE}:
        gen.check_kind("voice", str(asked))
    chain = _Chain(session, actor, board)
    clips: list[Generation] = []
    voices: list[Generation | None] = []
    for scene in scenes:
        previous = clips[-1] if clips else None
        clips.append(_add_scene(chain, scene, previous, video_model, image_model))
        voices.append(_add_voice(chain, scene, speaker, speaker_params))
    total = sum(s.duration_s for s in scenes)
    music = chain.add(gen.Request("audio", board.music_prompt or board.title, audio_model,
                                  {"duration": total}))  # fmt: skip
    composites = [_composite(chain, clips, voices, music, ratio, resolution, captions)
                  for ratio in dict.fromkeys((board.aspect_ratio, *extra_ratios))]  # fmt: skip
    return RenderPlan(composites, chain.rows)


def _composite(
    chain: _Chain, clips: list[Generation], voices: list[Generation | None], music: Generation,
    ratio: str, resolution: str, captions: bool,
) -> Generation:  # fmt: skip
    board = chain.board
    params = {"transition": board.transition, "aspect_ratio": ratio, "resolution": resolution}
    req = gen.Request("composite", board.title or "Final ad", "local/compose", params)
    spoken = [v for v in voices if v is not None]
    row = chain.add(req, inputs=(*clips, *spoken, music))
    logo = assets.logo_for_campaign(chain.session, board.campaign_id)
    row.params = {
        **row.params,
        "clips": [c.id for c in clips],
        "durations": [scene.duration_s for scene in scenes_of(chain.session, board.id)],
        "music": music.id,
        "voices": [v.id if v is not None else None for v in voices],  # per scene, as the clips
        "captions": captions,
        "call_to_action": board.call_to_action,
        # Which logo the end card carries (the client may set another later), and its file.
        "logo_asset_id": logo.id if logo else None,
        "logo_path": logo.path if logo else None,
        "storyboard_id": board.id,
        "storyboard_version": board.version,  # the approved version it shows
    }
    return row


def made_from(final: Generation) -> int | None:
    """The storyboard version a final ad was rendered from; None for renders older than the
    record (they were made before versions were kept in the params)."""
    version = final.params.get("storyboard_version")
    return int(version) if version is not None else None


def is_current(board: Storyboard, final: Generation) -> bool:
    """Whether `final` shows the board as approved now: made from its current approved version
    (any change after an approval makes the board a draft, so an approved board's version is
    the approved one). A render without a recorded version counts only if it was made after
    the last approval."""
    if board.status != StoryboardStatus.approved:
        return False
    version = made_from(final)
    if version is not None:
        return version == board.version
    return board.approved_at is not None and final.created_at >= board.approved_at


def renders_of(*, session: Session, actor: User, storyboard_id: str) -> list[Generation]:
    """The board's final ads, newest first; never its animatics (composites of the board too,
    a rough cut of its frames: see `animatic`)."""
    get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    query = select(Generation).where(
        Generation.kind == "composite",
        Generation.params["storyboard_id"].as_string() == storyboard_id,
    )
    rows = session.exec(query.order_by(col(Generation.created_at).desc()))
    return [row for row in rows if not row.params.get("animatic")]


def render_steps(*, session: Session, actor: User, composite_id: str) -> list[Generation]:
    """Every step of the render a composite belongs to, in the order they run."""
    require(actor, "read")
    final = session.get(Generation, composite_id)
    if final is None or final.kind != "composite":
        raise NotFound(f"No final ad with id {composite_id}.")
    if not final.chain_id:
        return [final]
    query = select(Generation).where(Generation.chain_id == final.chain_id)
    return list(session.exec(query.order_by(col(Generation.created_at), col(Generation.id))))


def cancel_render(*, session: Session, actor: User, composite_id: str) -> list[Generation]:
    """Stop a render: every step not yet finished is canceled, and so are its predictions on
    Replicate (nothing more is paid for); steps already made are kept, and a Retry of the final
    ad's steps later picks up from them. Returns the steps canceled."""
    steps = render_steps(session=session, actor=actor, composite_id=composite_id)
    final = next(s for s in steps if s.id == composite_id)
    require_owner_or_admin(actor, final.created_by, "job.manage")
    open_steps = [s for s in steps if s.status in OPEN_STATUSES]
    if not open_steps:
        raise Conflict("This render has already finished: nothing to cancel.")
    return gen.cancel_steps(session, actor, open_steps)


def resume_render(*, session: Session, actor: User, composite_id: str) -> list[Generation]:
    """Take a failed or canceled render up again: its failed and canceled steps are retried,
    inputs before the steps that wait on them, and each follows its prediction where Replicate
    still has it; steps already made are kept (not paid for twice). Returns the steps retried
    (those waiting on them wait again with them)."""
    steps = render_steps(session=session, actor=actor, composite_id=composite_id)
    ended = [s for s in steps if s.status in (Status.failed, Status.canceled)]
    if not ended:
        raise Conflict("Nothing to resume: no step of this render failed or was canceled.")
    retried = []
    for step_id in dependents.upstream_first(session, [s.id for s in ended]):
        row = session.get(Generation, step_id)
        if row is not None and row.status in (Status.failed, Status.canceled):
            retried.append(gen.retry(session=session, actor=actor, generation_id=step_id))
        # else: it waits again already, reopened by the retry of a step before it
    return retried


def real_models(board: Storyboard | None = None) -> dict[str, str]:
    """The Replicate models a draft render is made again with ("Render with real models"): the
    same plan, paid clips from paid frames (chosen frames kept), paid music, and a paid voice
    (the storyboard's own if it picked one; none if it has no voice-over)."""
    voice = chosen_voice(board) if board is not None else None
    if board is None or (voice is not None and catalog.is_draft(voice)):
        voice = catalog.REPLICATE_DEFAULTS["voice"]
    return {
        "video_model": catalog.REPLICATE_DEFAULTS["video"],
        "image_model": catalog.REPLICATE_DEFAULTS["image"],
        "audio_model": catalog.REPLICATE_DEFAULTS["audio"],
        "voice_model": voice or NO_VOICE,
    }


def captions_of(*, session: Session, actor: User, composite_id: str, fmt: str = "vtt") -> str:
    """A finished final ad's captions as a WebVTT ("vtt") or SubRip ("srt") sidecar, to upload
    beside the video where a platform takes captions as a file; "" for an ad without them."""
    require(actor, "read")
    final = session.get(Generation, composite_id)
    if final is None or final.kind != "composite":
        raise NotFound(f"No final ad with id {composite_id}.")
    if fmt not in ("vtt", "srt"):
        raise ValidationError({"format": f"format: '{fmt}' is not one of vtt, srt"})
    if final.status != Status.succeeded or not final.media_path:
        raise Conflict("This final ad is not finished: its captions come with it.")
    return sidecars.sidecar(store.abs_path(final.media_path), fmt)


def made_on_drafts(steps: list[Generation]) -> bool:
    """Whether a render's clips came from the draft engine (a storyboard check, not the ad)."""
    clips = [s for s in steps if s.kind == "video"]
    return bool(clips) and all(catalog.is_draft(str(c.model)) for c in clips)


def spent(steps: list[Generation]) -> float:
    """What a render's steps cost so far: each one's actual cost where it is known (a failed
    prediction may have cost something too), else a finished step's estimate."""
    total = 0.0
    for step in steps:
        if step.cost_usd is not None:
            total += step.cost_usd
        elif step.status == Status.succeeded:
            total += step.estimated_cost_usd
    return total


def poster(final: Generation) -> Path | None:
    """A finished final ad's poster: its most telling frame before the end card, at its own
    size, made the first time it is asked for; None when there is no file or no readable
    frame (the player then shows the video's own first frame)."""
    if final.status != Status.succeeded or not final.media_path:
        return None
    try:
        return compose.poster_of(final.media_path, final.params)
    except (RenderError, OSError):
        return None


def logo_on(session: Session, final: Generation) -> str | None:
    """What a final ad's end card carries as a logo, in words: the asset's label, a note when it
    was deleted since; None for a render without one."""
    asset_id = final.params.get("logo_asset_id")
    if not asset_id:
        return None
    asset = session.get(Asset, asset_id)
    return asset.label if asset is not None else "a logo since deleted from Assets"
