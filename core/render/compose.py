"""The final ad: scene clips joined in order (cut or crossfade), one music bed faded out at the end,
the call to action over the last scene, at any aspect ratio. One ffmpeg run, one encode.

Crossfades overlap neighbouring clips; each clip but the last is held on its final frame for the
fade's length first, so the film still lasts exactly the sum of its scenes.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.render.ffmpeg import run_ffmpeg

CROSSFADE_S = 0.5
MUSIC_FADE_S = 2.0


@dataclass(frozen=True)
class Clip:
    path: Path
    duration_s: float


def end_card(text: str, width: int, height: int, out_path: Path, accent: str = "#111111") -> Path:
    """A transparent overlay: the call to action on a band across the lower third."""
    card = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(card)
    size = max(18, int(min(width, height) * 0.055))
    font = ImageFont.load_default(size=size)
    lines = textwrap.wrap(text.strip(), width=max(12, int(width / (size * 0.55))))[:3]
    band_h = int(size * 1.5 * len(lines) + size * 1.5)
    top = height - band_h - int(height * 0.08)
    rgb = tuple(int(accent.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    draw.rectangle((0, top, width, top + band_h), fill=(*rgb, 200))
    y = top + int(size * 0.75)
    for line in lines:
        w = draw.textlength(line, font=font)
        draw.text(((width - w) / 2, y), line, font=font, fill=(255, 255, 255, 255))
        y += int(size * 1.5)
    card.save(out_path)
    return out_path


def _video_chain(
    clips: list[Clip], width: int, height: int, fps: int, transition: str
) -> list[str]:
    parts, hold = [], CROSSFADE_S if transition == "crossfade" else 0.0
    for i in range(len(clips)):
        pad = f",tpad=stop_mode=clone:stop_duration={hold}" if hold and i < len(clips) - 1 else ""
        parts.append(
            f"[{i}:v]scale={width}:{height}:force_original_aspect_ratio=increase,"
            f"crop={width}:{height},setsar=1,fps={fps},format=yuv420p{pad},settb=AVTB[v{i}]"
        )
    if transition != "crossfade" or len(clips) == 1:
        joined = "".join(f"[v{i}]" for i in range(len(clips)))
        parts.append(f"{joined}concat=n={len(clips)}:v=1:a=0[vcat]")
        return parts
    offset, label = 0.0, "v0"
    for i in range(1, len(clips)):
        offset += clips[i - 1].duration_s
        out = "vcat" if i == len(clips) - 1 else f"x{i}"
        parts.append(
            f"[{label}][v{i}]xfade=transition=fade:duration={hold}:offset={offset:.3f}[{out}]"
        )
        label = out
    return parts


def compose(
    *,
    clips: list[Clip],
    out_path: Path,
    width: int,
    height: int,
    fps: int = 24,
    transition: str = "cut",
    music: Path | None = None,
    call_to_action: str = "",
    accent: str = "#111111",
    metadata: dict[str, str] | None = None,
) -> None:
    if not clips:
        raise ValueError("nothing to compose")
    total = sum(c.duration_s for c in clips)
    args = ["-y", "-hide_banner", "-loglevel", "error"]
    for clip in clips:
        args += ["-i", str(clip.path)]
    filters = _video_chain(clips, width, height, fps, transition)
    video_out = "vcat"
    n = len(clips)
    if call_to_action.strip():
        card = end_card(call_to_action, width, height, out_path.with_suffix(".card.png"), accent)
        args += ["-loop", "1", "-framerate", str(fps), "-t", f"{total:.3f}", "-i", str(card)]
        start = total - clips[-1].duration_s
        filters.append(f"[vcat][{n}:v]overlay=0:0:enable='gte(t,{start:.3f})'[vout]")
        video_out, n = "vout", n + 1
    maps = ["-map", f"[{video_out}]"]
    if music is not None:
        args += ["-i", str(music)]
        fade_at = max(0.0, total - MUSIC_FADE_S)
        filters.append(
            f"[{n}:a]apad,atrim=0:{total:.3f},afade=t=out:st={fade_at:.3f}:d={MUSIC_FADE_S},"
            "aformat=sample_rates=48000:channel_layouts=stereo[aout]"
        )
        maps += ["-map", "[aout]", "-c:a", "aac", "-b:a", "160k"]
    tags = [x for k, v in (metadata or {}).items() for x in ("-metadata", f"{k}={v}")]
    tmp = out_path.with_name(f".{out_path.name}.part.mp4")
    try:
        run_ffmpeg([
            *args, "-filter_complex", ";".join(filters), *maps,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            "-r", str(fps), "-t", f"{total:.3f}", "-movflags", "+faststart", *tags, str(tmp),
        ])  # fmt: skip
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
        out_path.with_suffix(".card.png").unlink(missing_ok=True)
