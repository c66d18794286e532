"""A storyboard's animatic: its frames played with its timing, transition, end card, music and
voice lines, as a rough cut to watch before any video money is spent.

Made on the draft engine, inline, in seconds and for nothing: no queue, no Replicate, no budget.
A scene without a finished frame gets a draft frame painted for it here (in the client's
palette), which is not kept as the scene's frame: making an animatic is watching the board, not
editing it (so it is allowed at any status, and to reviewers too).

It is stored as a finished composite generation whose params say `"animatic": true` beside the
storyboard's id (a storyboard's share link plays the newest one, see `sharing.targets`) and a
fingerprint of everything it shows: a board whose fingerprint still matches has its animatic
already (asked again, it is shown, not made twice) and any change to what it would show makes
the stored one out of date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from core import catalog
from core.accounts.auth import can, require
from core.campaigns import assets
from core.campaigns.brand import effective_prompt
from core.db import lock_row
from core.errors import Conflict, ProviderError
from core.generation import service as gen
from core.media import store, usage
from core.media.animatic import Shot, render_animatic
from core.media.draft.image import render_image
from core.media.draft.music import render_music
from core.media.draft.voice import DEFAULT_VOICE, VoiceError, render_voice
from core.media.ffmpeg import RenderError
from core.media.mix import VoiceDoesNotFit, VoiceLine
from core.media.outputs import MediaFacts, StoredOutput, describe_and_store
from core.models import (
    Asset,
    Campaign,
    Client,
    Generation,
    Kind,
    Scene,
    Status,
    Storyboard,
    User,
    table_of,
    utcnow,
)
from core.storyboards.editing import get_storyboard, image_prompt_of, scenes_of
from core.storyboards.frames import current_frame, frames_of
from core.storyboards.voice import voice_for

MODEL = "local/compose"
# A rough cut: 480p keeps it to seconds on two cores and plays on any phone (the ad is 720p),
# and its slow push-ins move on twos, as hand-drawn animatics do: 12 pictures a second halve
# the drawing and the encoding, and a 6 % push over a scene changes too little between two of
# them to step.
RESOLUTION = "480p"
FPS = 12
# Bumped when the animatic's look changes: those made before then count as out of date.
LOOK = 1


@dataclass(frozen=True)
class Made:
    animatic: Generation
    made: bool  # False: the board as it is had one already, which is what this is


@dataclass(frozen=True)
class Latest:
    animatic: Generation | None  # the newest one whose file is there
    current: bool  # it shows the board as it is now


@dataclass(frozen=True)
class _Cut:
    """Everything an animatic of the board shows, read before anything is drawn."""

    board: Storyboard
    scenes: list[Scene]
    frames: list[Generation | None]  # per scene, the frame shown (None: one is painted)
    palette: list[str]
    music_prompt: str
    voice: dict[str, Any] | None  # the draft voice's settings; None: no voice-over
    logo: Asset | None  # on the end card, as on the final ad's

    @property
    def fingerprint(self) -> str:
        seen = {
            "look": LOOK, "size": [RESOLUTION, FPS, self.board.aspect_ratio],
            "transition": self.board.transition, "end_card": self.board.call_to_action,
            "music": self.music_prompt, "palette": self.palette, "voice": self.voice,
            "logo": self.logo.sha256 if self.logo else None,
            "scenes": [[s.duration_s, f.id if f else image_prompt_of(s),
                        s.voice_line.strip() if self.voice else ""]
                       for s, f in zip(self.scenes, self.frames, strict=True)],
        }  # fmt: skip
        return hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()[:32]

    @property
    def total_s(self) -> int:
        return sum(s.duration_s for s in self.scenes)


def is_animatic(row: Generation) -> bool:
    return row.kind == Kind.composite and bool((row.params or {}).get("animatic"))


def may_make(actor: User | None) -> bool:
    """Creatives and admins, who build the board, and reviewers, who watch it in Review: it
    costs nothing and changes nothing."""
    return can(actor, "storyboard.edit") or can(actor, "review")


def made_from(row: Generation) -> int:
    """The storyboard version the animatic was made at (0: before its first submission)."""
    return int(row.params.get("storyboard_version") or 0)


def _draft_voice(board: Storyboard, scenes: list[Scene]) -> dict[str, Any] | None:
    """The board's voice settings when it speaks in the draft voice; a paid voice is heard
    in the draft voice's defaults here (free), and a board without a voice-over stays silent."""
    model, params = voice_for(board, scenes)
    if model is None:
        return None
    chosen = params if catalog.is_draft(model) else {}
    return {
        "voice": str(chosen.get("voice", DEFAULT_VOICE)),
        "speed": float(chosen.get("speed", 1.0)),
        "pitch": int(chosen.get("pitch", 0)),
    }


def _cut(session: Session, actor: User, board: Storyboard) -> _Cut:
    scenes = scenes_of(session, board.id)
    if not scenes:
        raise Conflict("This storyboard has no scenes yet: there is nothing to play.")
    found = frames_of(session=session, actor=actor, storyboard_id=board.id)
    shown = [current_frame(s, found.get(s.id, [])) for s in scenes]
    campaign = session.get(Campaign, board.campaign_id)
    client = session.get(Client, campaign.client_id) if campaign else None
    music = board.music_prompt or board.title or "Upbeat"
    if client is not None and campaign is not None:  # the sound direction, as the ad's music
        music = effective_prompt(music, client=client, campaign=campaign, kind="audio").text
    palette = list(client.palette) if client else []
    logo = assets.logo_for_campaign(session, board.campaign_id)
    return _Cut(board, scenes, shown, palette, music, _draft_voice(board, scenes), logo)


def _existing(session: Session, board_id: str, fingerprint: str | None = None) -> list[Generation]:
    """The board's animatics whose file is there, newest first (only those of `fingerprint`)."""
    query = select(Generation).where(
        Generation.kind == Kind.composite, Generation.status == Status.succeeded,
        Generation.params["storyboard_id"].as_string() == board_id,
    ).order_by(col(Generation.created_at).desc(), col(Generation.id))  # fmt: skip
    wanted = (row for row in session.exec(query) if is_animatic(row))
    if fingerprint is not None:
        wanted = (row for row in wanted if row.params.get("fingerprint") == fingerprint)
    return [row for row in wanted if row.media_path and store.abs_path(row.media_path).is_file()]


def latest_animatic(*, session: Session, actor: User, storyboard_id: str) -> Latest:
    """The board's newest animatic, and whether it still shows the board as it is."""
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    found = _existing(session, board.id)
    if not found:
        return Latest(None, False)
    try:
        now = _cut(session, actor, board).fingerprint
    except Conflict:  # every scene deleted since
        return Latest(found[0], False)
    return Latest(found[0], found[0].params.get("fingerprint") == now)


def make_animatic(
    *, session: Session, actor: User, storyboard_id: str, force: bool = False
) -> Made:
    """The board's animatic as it is now: the one already made of it unless `force`, else
    drawn now (a few seconds) and stored. Refused for a board without scenes."""
    if not may_make(actor):
        require(actor, "storyboard.edit")  # says who may
    board = get_storyboard(session=session, actor=actor, storyboard_id=storyboard_id)
    cut = _cut(session, actor, board)
    fingerprint = cut.fingerprint
    if not force and (same := _existing(session, board.id, fingerprint)):
        return Made(same[0], made=False)
    started = utcnow()
    try:
        with store.scratch_dir() as work:
            stored, left_out = _render(cut, work)
    except (RenderError, ValueError) as error:  # ffmpeg refused, or a still or logo is unreadable
        raise ProviderError(f"The animatic could not be drawn: {error}") from error
    # One at a time per board from here: a second click that drew the same cut meanwhile
    # finds the first's row instead of adding its own.
    lock_row(session, table_of(Storyboard).c.updated_at, board.id)
    if not force and (same := _existing(session, board.id, fingerprint)):
        usage.remove_if_unused(session, stored.file.path)
        return Made(same[0], made=False)
    row = _row(session, actor, cut, stored, fingerprint, left_out)
    row.started_at, row.finished_at = started, utcnow()
    session.add(row)
    session.flush()
    return Made(row, made=True)


def _stills(cut: _Cut, width: int, height: int, work: Path) -> list[Shot]:
    shots = []
    for number, (scene, frame) in enumerate(zip(cut.scenes, cut.frames, strict=True), 1):
        still = store.abs_path(frame.media_path) if frame and frame.media_path else None
        if still is None or not still.is_file():
            still = work / f"still-{number}.png"
            prompt = image_prompt_of(scene) or f"Scene {number}"
            seed = catalog.resolve_seed({}, prompt)
            render_image(prompt=prompt, width=width, height=height, palette=cut.palette,
                         seed=seed, fmt="png", out_path=still,
                         metadata={"prompt": prompt, "model": "local/draft-image",
                                   "seed": str(seed)})  # fmt: skip
        shots.append(Shot(still, float(scene.duration_s)))
    return shots


def _voices(cut: _Cut, work: Path) -> list[VoiceLine]:
    if cut.voice is None:
        return []
    lines = []
    for index, scene in enumerate(cut.scenes):
        if text := scene.voice_line.strip():
            path = work / f"voice-{index + 1}.wav"
            render_voice(text=text, out_path=path, metadata={"prompt": text}, **cut.voice)
            lines.append(VoiceLine(index, path, text))
    return lines


def _music(cut: _Cut, work: Path) -> Path:
    path, prompt = work / "music.wav", cut.music_prompt
    render_music(prompt=prompt, duration_s=cut.total_s, seed=catalog.resolve_seed({}, prompt),
                 fmt="wav", out_path=path, metadata={"prompt": prompt})  # fmt: skip
    return path


def _logo(cut: _Cut) -> Path | None:
    path = store.abs_path(cut.logo.path) if cut.logo else None
    return path if path is not None and path.is_file() else None


def _render(cut: _Cut, work: Path) -> tuple[StoredOutput, str]:
    """The animatic drawn and stored, and what was left out of it and why ("" for nothing): a
    voice-over that cannot be spoken or does not fit is left out, not the animatic."""
    board = cut.board
    size = catalog.frame_size({"resolution": RESOLUTION, "aspect_ratio": board.aspect_ratio})
    out, poster = work / "animatic.mp4", work / "poster.ppm"
    draw = partial(
        render_animatic, shots=_stills(cut, *size, work), out_path=out, width=size[0],
        height=size[1], fps=FPS, transition=board.transition, music=_music(cut, work),
        call_to_action=board.call_to_action, accent=(cut.palette or ["#111111"])[0],
        logo=_logo(cut),
        metadata={"title": board.title, "comment": "Animatic (draft engine)"}, poster_path=poster,
    )  # fmt: skip
    left_out = ""
    try:
        made = draw(voices=_voices(cut, work))
    except (VoiceDoesNotFit, VoiceError) as error:
        left_out = f"Voice-over left out: {error}"
        made = draw()
    facts = MediaFacts(made.width, made.height, made.duration_s, poster=poster)
    return describe_and_store(out, "mp4", "composite", facts), left_out


def _row(session: Session, actor: User, cut: _Cut, stored: StoredOutput, fingerprint: str,
         left_out: str) -> Generation:  # fmt: skip
    board = cut.board
    asked = {"transition": board.transition, "aspect_ratio": board.aspect_ratio,
             "resolution": RESOLUTION}  # fmt: skip
    req = gen.Request("composite", board.title or "Animatic", MODEL, asked)
    # The final ad's frame rates are for clips; an animatic's stills move on twos (see FPS).
    params = {**catalog.validate(MODEL, asked, prompt=req.prompt), "fps": FPS}
    row = gen.new_row(session, actor, board.campaign_id, req, catalog.get_model(MODEL), params)
    row.params = {
        **params, "animatic": True, "storyboard_id": board.id,
        "storyboard_version": board.version, "fingerprint": fingerprint,
        "durations": [s.duration_s for s in cut.scenes],
        "frames": [f.id if f else None for f in cut.frames],  # None: painted for it
        "call_to_action": board.call_to_action,
        **({"left_out": left_out} if left_out else {}),
    }  # fmt: skip
    file = stored.file
    row.status, row.cost_usd, row.estimated_cost_usd, row.attempts = Status.succeeded, 0.0, 0.0, 1
    row.media_sha256, row.media_path, row.media_mime, row.media_bytes = (
        file.sha256, file.path, file.mime, file.bytes)  # fmt: skip
    row.width, row.height, row.duration_s = stored.width, stored.height, stored.duration_s
    row.thumb_path = stored.thumb_path
    return row
