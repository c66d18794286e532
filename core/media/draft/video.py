"""Draft video: the start image animated with eased zoom and pan, as H.264 MP4 a browser plays.

Each frame is one sub-pixel box resample of the start image cropped to the frame's shape (at
the frame's size: a 2-tap upsample is 30 % cheaper than downsampling a larger source, and the
15 % zoom's softness suits a draft); frames go to ffmpeg as raw RGB through a pipe
(`frame_pipe`), encoding on one core while the next frames are drawn on the other.
"""

from __future__ import annotations

import random
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from core.media.frame_pipe import drawn_in_order, encode, keeping, raw_input, tags

# Drafts favour speed: ultrafast x264; the compositor re-encodes with the same settings so that
# clips it did not touch can be joined by stream copy.
DRAFT_X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p")

MAX_ZOOM = 1.15
MOTIONS = ("push_in", "pull_out", "pan_right", "pan_left", "rise", "drift")


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def _path(motion: str, t: float) -> tuple[float, float, float]:
    """(zoom, x, y) at eased time t; x and y in -1..1 across the room the zoom leaves."""
    e = _ease(t)
    return {
        "push_in": (1 + (MAX_ZOOM - 1) * e, 0.0, 0.0),
        "pull_out": (MAX_ZOOM - (MAX_ZOOM - 1) * e, 0.0, 0.0),
        "pan_right": (MAX_ZOOM, -1 + 2 * e, 0.0),
        "pan_left": (MAX_ZOOM, 1 - 2 * e, 0.0),
        "rise": (MAX_ZOOM - 0.05 * e, 0.0, 1 - 2 * e),
        "drift": (1.05 + 0.08 * e, -0.6 + 1.2 * e, 0.4 - 0.8 * e),
    }[motion]


def _box(zoom: float, x: float, y: float, w: int, h: int, sw: int, sh: int) -> tuple:
    """The source rectangle (sub-pixel) the frame shows."""
    bw, bh = sw / zoom, sh / zoom
    left = (sw - bw) / 2 * (1 + x)
    top = (sh - bh) / 2 * (1 + y)
    return (left, top, left + bw, top + bh)


def _frame(source: Image.Image, w: int, h: int, n: int, motion: str, fade_frames: int, i: int):
    t = i / max(n - 1, 1)
    box = _box(*_path(motion, t), w, h, *source.size)
    frame = source.resize((w, h), Image.Resampling.BILINEAR, box=box)
    level = min(1.0, (i + 1) / fade_frames, (n - i) / fade_frames)
    if level < 1.0:
        return (np.asarray(frame, dtype=np.float32) * level).astype(np.uint8).tobytes()
    return frame.tobytes()


def _frames(source: Image.Image, w: int, h: int, n: int, fps: int, motion: str, fade_s: float):
    return drawn_in_order(partial(_frame, source, w, h, n, motion, max(1, round(fade_s * fps))), n)


def render_video(
    *,
    start_image: Path,
    width: int,
    height: int,
    duration_s: float,
    fps: int,
    seed: int,
    out_path: Path,
    metadata: dict[str, str],
    fade_s: float = 0.4,
    poster_path: Path | None = None,
) -> None:
    """`poster_path`: also save the frame a third of the way in (the gallery's poster), which
    costs nothing here and spares decoding the clip again to find it."""
    width, height = width - width % 2, height - height % 2
    n = max(1, round(duration_s * fps))
    motion = random.Random(seed).choice(MOTIONS)
    with Image.open(start_image) as img:
        source = ImageOps.fit(img.convert("RGB"), (width, height), Image.Resampling.BILINEAR)
    frames = _frames(source, width, height, n, fps, motion, fade_s)
    if poster_path is not None:
        frames = keeping(frames, n // 3, (width, height), poster_path)
    args = [*raw_input(width, height, fps), *DRAFT_X264, *tags(metadata)]
    encode(frames, args, out_path)
