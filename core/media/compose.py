"""The final ad: scene clips joined in order (cut or crossfade), one music bed faded out at the end,
the call to action over the last scene, at any aspect ratio.

Two paths. Cuts between clips that are already encoded alike at the target size (every draft
clip is) are joined without re-encoding: only the last clip is re-encoded, to carry the call to
action, then the clips are concatenated as they are. Anything else (crossfades, other sizes,
Replicate clips) goes through one filter graph and one encode.

Crossfades overlap neighbouring clips; each clip but the last is held on its final frame for the
fade's length first, so the film still lasts exactly the sum of its scenes.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from core.media.draft.fonts import drawable, load_font
from core.media.draft.video import DRAFT_X264
from core.media.ffmpeg import probe, run_ffmpeg

CROSSFADE_S = 0.5
MUSIC_FADE_S = 2.0
FINAL_X264 = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p")
QUIET = ("-y", "-hide_banner", "-loglevel", "error")


@dataclass(frozen=True)
class Clip:
    """A clip to show for `duration_s`: cut, or its last frame held, when it `made` another
    length."""

    path: Path
    duration_s: float
    made: float | None = None

    @property
    def off_length(self) -> bool:
        return self.made is not None and abs(self.made - self.duration_s) > 0.02


def end_card(text: str, width: int, height: int, out_path: Path, accent: str = "#111111") -> Path:
    """A transparent overlay: the call to action on a band across the lower third."""
    card = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(card)
    size = max(18, int(min(width, height) * 0.055))
    font = load_font(size, "Semibold")
    lines = textwrap.wrap(drawable(text.strip(), font), width=max(12, int(width / (size * 0.55))))[
        :3
    ]
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


def _fit(label_in: str, label_out: str, clip: Clip, width: int, height: int, fps: int,
         pad: float) -> str:  # fmt: skip
    """Scaled and cropped to the frame; cut or held to its length; `pad` more held for a
    crossfade into the next."""
    length = ""
    if clip.off_length and clip.made is not None:
        short = max(0.0, clip.duration_s - clip.made)
        hold_for = f",tpad=stop_mode=clone:stop_duration={short:.3f}" if short else ""
        length = f"{hold_for},trim=duration={clip.duration_s:.3f},setpts=PTS-STARTPTS"
    hold = f",tpad=stop_mode=clone:stop_duration={pad}" if pad else ""
    return (
        f"[{label_in}]scale={width}:{height}:force_original_aspect_ratio=increase,"
        f"crop={width}:{height},setsar=1,fps={fps},format=yuv420p{length}{hold},"
        f"settb=AVTB[{label_out}]"
    )


def _join(labels: list[str], clips: list[Clip], transition: str) -> list[str]:
    if transition != "crossfade" or len(clips) == 1:
        return ["".join(f"[{x}]" for x in labels) + f"concat=n={len(labels)}:v=1:a=0[vcat]"]
    parts, offset, current = [], 0.0, labels[0]
    for i in range(1, len(clips)):
        offset += clips[i - 1].duration_s
        out = "vcat" if i == len(clips) - 1 else f"x{i}"
        fade = f"xfade=transition=fade:duration={CROSSFADE_S}:offset={offset:.3f}"
        parts.append(f"[{current}][{labels[i]}]{fade}[{out}]")
        current = out
    return parts


def _reencode(clips, card: Path | None, out: Path, w: int, h: int, fps: int, transition) -> None:
    """Every clip through one filter graph and one encode (crossfades, mixed sources)."""
    hold = CROSSFADE_S if transition == "crossfade" else 0.0
    args, graph = [], []
    for i, clip in enumerate(clips):
        args += ["-i", str(clip.path)]
        graph.append(_fit(f"{i}:v", f"v{i}", clip, w, h, fps, hold if i < len(clips) - 1 else 0))
    labels = [f"v{i}" for i in range(len(clips))]
    if card is not None:
        args += ["-loop", "1", "-framerate", str(fps), "-i", str(card)]
        graph.append(f"[{labels[-1]}][{len(clips)}:v]overlay=0:0:shortest=1[last]")
        labels[-1] = "last"
    graph += _join(labels, clips, transition)
    run_ffmpeg([*QUIET, *args, "-filter_complex", ";".join(graph), "-map", "[vcat]",
                *FINAL_X264, "-r", str(fps), str(out)])  # fmt: skip


def _joinable(clips: list[Clip], width: int, height: int, fps: int) -> bool:
    infos = [probe(c.path) for c in clips]
    return all(
        (i.video_codec, i.pix_fmt, i.width, i.height, i.fps) == ("h264", "yuv420p", width,
                                                                height, float(fps))
        and i.profile == infos[0].profile
        for i in infos
    )  # fmt: skip


def _copy_join(clips: list[Clip], card: Path | None, work: Path, fps: int) -> Path | None:
    """Concatenate encoded clips as they are; None if the re-encoded last clip does not match."""
    paths = [c.path for c in clips]
    if card is not None:
        last = work / "last.mp4"
        run_ffmpeg([*QUIET, "-i", str(paths[-1]), "-loop", "1", "-framerate", str(fps),
                    "-i", str(card), "-filter_complex", "[0:v][1:v]overlay=0:0:shortest=1",
                    *DRAFT_X264, "-r", str(fps), str(last)])  # fmt: skip
        if probe(last).profile != probe(paths[0]).profile:
            return None
        paths[-1] = last
    listing = work / "clips.txt"
    listing.write_text("".join(f"file '{p.resolve()}'\n" for p in paths))
    joined = work / "joined.mp4"
    run_ffmpeg([*QUIET, "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
                str(joined)])  # fmt: skip
    return joined


def _mux(video: Path, music: Path | None, total: float, out: Path, metadata: dict) -> None:
    args, maps = ["-i", str(video)], ["-map", "0:v"]
    if music is not None:
        fade_at = max(0.0, total - MUSIC_FADE_S)
        args += ["-i", str(music), "-filter_complex",
                 f"[1:a]apad,atrim=0:{total:.3f},afade=t=out:st={fade_at:.3f}:d={MUSIC_FADE_S},"
                 "aformat=sample_rates=48000:channel_layouts=stereo[aout]"]  # fmt: skip
        maps += ["-map", "[aout]", "-c:a", "aac", "-b:a", "160k"]
    tags = [x for k, v in metadata.items() for x in ("-metadata", f"{k}={v}")]
    run_ffmpeg([*QUIET, *args, *maps, "-c:v", "copy", "-t", f"{total:.3f}",
                "-movflags", "+faststart", *tags, str(out)])  # fmt: skip


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
) -> str:
    """Writes the ad to out_path; returns which path was taken ("copy" or "encode")."""
    if not clips:
        raise ValueError("nothing to compose")
    total = sum(c.duration_s for c in clips)
    with tempfile.TemporaryDirectory(dir=out_path.parent, prefix=".compose-") as tmp:
        work = Path(tmp)
        card = None
        if call_to_action.strip():
            card = end_card(call_to_action, width, height, work / "card.png", accent)
        video, path = None, "copy"
        if (
            transition == "cut"
            and not any(c.off_length for c in clips)
            and _joinable(clips, width, height, fps)
        ):
            video = _copy_join(clips, card, work, fps)
        if video is None:
            video, path = work / "video.mp4", "encode"
            _reencode(clips, card, video, width, height, fps, transition)
        part = work / "final.mp4"
        _mux(video, music, total, part, metadata or {})
        os.replace(part, out_path)
    return path
