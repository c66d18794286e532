"""The ffmpeg binary that imageio-ffmpeg ships (never a system one), and reading media facts.

There is no ffprobe in that package, so `probe` reads what `ffmpeg -i` prints about a file.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import imageio_ffmpeg


class RenderError(RuntimeError):
    """ffmpeg failed; the message carries the end of its error output."""


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, stdin: bytes | None = None) -> str:
    """Run ffmpeg with `args`; returns its stderr (where it reports), raises RenderError."""
    result = subprocess.run(
        [ffmpeg_exe(), "-nostdin" if stdin is None else "-hide_banner", *args],
        input=stdin, capture_output=True,
    )  # fmt: skip
    err = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        tail = " | ".join(err.strip().splitlines()[-3:])
        raise RenderError(f"ffmpeg failed ({result.returncode}): {tail}")
    return err


@dataclass
class MediaInfo:
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    video_codec: str | None = None
    profile: str | None = None
    pix_fmt: str | None = None
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    tags: dict[str, str] = field(default_factory=dict)


DURATION_RE = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
VIDEO_RE = re.compile(r"Stream #\S+.*?: Video: (\w+)[^,]*, (\w+)[^,]*(?:\([^)]*\))?, (\d+)x(\d+)")
PROFILE_RE = re.compile(r"Video: \w+ \(([^)]+)\)")
FPS_RE = re.compile(r"(\d+(?:\.\d+)?) fps")
AUDIO_RE = re.compile(r"Stream #\S+.*?: Audio: (\w+)[^,]*, (\d+) Hz, ([\w.() ]+?)(?:,|$)")
TAG_RE = re.compile(r"^\s{4}(\w+)\s*: (.*)$")
CHANNELS = {"mono": 1, "stereo": 2}


def _tags(text: str) -> dict[str, str]:
    """Container-level metadata: the indented `key : value` lines after `Metadata:` at top."""
    tags: dict[str, str] = {}
    in_meta = False
    for line in text.splitlines():
        if line.startswith("  Metadata:"):
            in_meta = True
            continue
        if in_meta:
            match = TAG_RE.match(line)
            if not match:
                break
            tags.setdefault(match.group(1), match.group(2).strip())
    return tags


def probe(path: Path | str) -> MediaInfo:
    """Facts about a media file; ValueError if ffmpeg does not recognise it."""
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)], capture_output=True
    )
    text = result.stderr.decode(errors="replace")
    if "Invalid data found" in text or "No such file" in text or "Stream #" not in text:
        raise ValueError(f"not a media file: {Path(path).name}")
    info = MediaInfo(tags=_tags(text))
    if m := DURATION_RE.search(text):
        h, mnt, s = m.groups()
        info.duration_s = int(h) * 3600 + int(mnt) * 60 + float(s)
    if m := VIDEO_RE.search(text):
        info.video_codec, info.pix_fmt = m.group(1), m.group(2)
        info.width, info.height = int(m.group(3)), int(m.group(4))
        line = text[m.start() : text.find("\n", m.start())]
        if f := FPS_RE.search(line):
            info.fps = float(f.group(1))
        if p := PROFILE_RE.search(line):
            info.profile = p.group(1)
    if m := AUDIO_RE.search(text):
        info.audio_codec, info.sample_rate = m.group(1), int(m.group(2))
        layout = m.group(3).strip().split("(")[0].strip()
        info.channels = CHANNELS.get(layout, 2 if "stereo" in layout else None)
    return info


def count_frames(path: Path | str) -> int:
    """Decodes the video stream to count its frames (exact, unlike the header's estimate)."""
    err = run_ffmpeg(["-i", str(path), "-map", "0:v:0", "-f", "null", "-"])
    counts = re.findall(r"frame=\s*(\d+)", err)
    return int(counts[-1]) if counts else 0
