"""The animatic: a storyboard's stills played with its timing, as one H.264 MP4 made in one pass.

Each still is shown for its scene's length with a slow push-in; a crossfade is blended in memory;
the call to action is the final ad's own end card (`compose.end_card`) over the last scene; the
sound is the final ad's own mix (`mix.mix`: the voice lines over the music, ducked, at -14 LUFS).

Why not `compose`: it joins encoded clips. Made into clips first, stills cost an encode each,
then the end card's clip (or a crossfade's whole film) is encoded again and the sound muxed in
a third pass. Drawn straight into one encoder that also takes the sound, they cost one encode,
and a crossfade costs no more than a cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from core.media.compose import CROSSFADE_S, FINAL_X264, end_card
from core.media.frame_pipe import drawn_in_order, encode, keeping, raw_input, tags
from core.media.mix import Placement, VoiceLine, mix, place_lines

PUSH_IN = 1.06  # zoom at a scene's end: enough to feel like a camera, too slow to distract


@dataclass(frozen=True)
class Shot:
    """A still shown for `duration_s`."""

    still: Path
    duration_s: float


@dataclass(frozen=True)
class Made:
    duration_s: float
    width: int
    height: int
    placements: list[Placement]  # where the voice lines were placed (none: no voice)


class _Card:
    """The end card's drawn rows (its band, and a logo above it) as float arrays, laid over a
    frame in one operation; the rows it leaves clear are not touched."""

    def __init__(self, text: str, width: int, height: int, accent: str, logo: Path | None,
                 work: Path):  # fmt: skip
        drawn = end_card(text, width, height, work / "card.png", accent, logo=logo)
        with Image.open(drawn) as card:
            rgba = np.asarray(card.convert("RGBA"), dtype=np.float32)
        rows = np.flatnonzero(rgba[..., 3].any(axis=1))
        self.top, self.bottom = (int(rows[0]), int(rows[-1]) + 1) if rows.size else (0, 0)
        band = rgba[self.top : self.bottom]
        self.alpha = band[..., 3:] / 255.0
        self.ink = band[..., :3] * self.alpha

    def over(self, frame: np.ndarray) -> np.ndarray:
        rows = frame[self.top : self.bottom].astype(np.float32)
        frame[self.top : self.bottom] = (rows * (1.0 - self.alpha) + self.ink).astype(np.uint8)
        return frame


class _Film:
    """Which scene each frame shows, and how far into its push-in."""

    def __init__(self, shots: Sequence[Shot], width: int, height: int, fps: int):
        self.size = (width, height)
        self.sources: list[Image.Image] = []
        for shot in shots:
            with Image.open(shot.still) as img:
                fitted = ImageOps.fit(img.convert("RGB"), self.size, Image.Resampling.BILINEAR)
            self.sources.append(fitted)
        ends = np.cumsum([s.duration_s for s in shots])
        self.bounds = [round(end * fps) for end in ends]
        self.starts = [0, *self.bounds[:-1]]
        self.frames = self.bounds[-1]

    def scene_of(self, index: int) -> int:
        return next(j for j, end in enumerate(self.bounds) if index < end)

    def still(self, scene: int, progress: float) -> Image.Image:
        """The scene's still, pushed in by `progress` (0..1), sub-pixel: no jitter."""
        source = self.sources[scene]
        zoom = 1.0 + (PUSH_IN - 1.0) * progress
        w, h = self.size
        bw, bh = w / zoom, h / zoom
        box = ((w - bw) / 2, (h - bh) / 2, (w + bw) / 2, (h + bh) / 2)
        return source.resize(self.size, Image.Resampling.BILINEAR, box=box)

    def progress(self, scene: int, index: int) -> float:
        length = self.bounds[scene] - self.starts[scene]
        return (index - self.starts[scene]) / max(length - 1, 1)


def _frame(film: _Film, card: _Card | None, fade: int, index: int) -> bytes:
    scene = film.scene_of(index)
    still = film.still(scene, film.progress(scene, index))
    into = index - film.starts[scene]
    carded = card is not None and scene == len(film.sources) - 1
    fading = scene > 0 and into < fade
    if not (carded or fading):
        return still.tobytes()  # most frames: one copy, straight from the resample
    frame = np.array(still)
    if carded and card is not None:
        frame = card.over(frame)
    if fading:
        # The scene before is held on its last frame while this one fades in over it.
        before = np.asarray(film.still(scene - 1, 1.0), dtype=np.float32)
        share = (into + 1) / (fade + 1)
        frame = (before * (1 - share) + frame.astype(np.float32) * share).astype(np.uint8)
    return frame.tobytes()


def _arguments(width: int, height: int, fps: int, sound: Path | None, total: float,
               metadata: dict[str, str]) -> list[str]:  # fmt: skip
    audio = ["-i", str(sound), "-map", "0:v", "-map", "1:a", "-c:a", "aac", "-b:a", "160k"]
    return [*raw_input(width, height, fps), *(audio if sound is not None else []), *FINAL_X264,
            "-t", f"{total:.3f}", *tags(metadata)]  # fmt: skip


def _sound(total: float, music: Path | None, voices: Sequence[VoiceLine],
           durations: list[float], work: Path) -> tuple[Path | None, list[Placement]]:  # fmt: skip
    placements = place_lines(list(voices), durations) if voices else []
    if music is None and not placements:
        return None, []
    out = work / "sound.wav"
    mix(total_s=total, placements=placements, music=music, out_path=out, work=work)
    return out, placements


def render_animatic(
    *,
    shots: Sequence[Shot],
    out_path: Path,
    width: int,
    height: int,
    fps: int = 24,
    transition: str = "cut",
    music: Path | None = None,
    voices: Sequence[VoiceLine] = (),
    call_to_action: str = "",
    accent: str = "#111111",
    logo: Path | None = None,
    metadata: dict[str, str] | None = None,
    poster_path: Path | None = None,
) -> Made:
    """Writes the animatic to out_path (whole or not at all), lasting exactly the sum of its
    shots. `voices`: the scenes' lines (`VoiceLine.scene` indexes `shots`); raises
    `mix.VoiceDoesNotFit` before drawing anything when one would outlast the film. The end
    card (`call_to_action`, the client's `logo`) is the final ad's. `poster_path`: the frame a
    third of the way in, saved as it is drawn (PPM). Work files go beside `out_path`."""
    if not shots:
        raise ValueError("an animatic needs at least one scene")
    width, height = width - width % 2, height - height % 2
    durations = [s.duration_s for s in shots]
    total = float(sum(durations))
    work = out_path.parent
    sound, placements = _sound(total, music, voices, durations, work)
    film = _Film(shots, width, height, fps)
    card = None
    if call_to_action.strip() or logo is not None:
        card = _Card(call_to_action, width, height, accent, logo, work)
    fade = round(CROSSFADE_S * fps) if transition == "crossfade" else 0
    frames = drawn_in_order(partial(_frame, film, card, fade), film.frames)
    if poster_path is not None:
        frames = keeping(frames, film.frames // 3, (width, height), poster_path)
    encode(frames, _arguments(width, height, fps, sound, total, metadata or {}), out_path)
    return Made(total, width, height, placements)
