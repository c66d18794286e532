"""Draft video: the start image animated with eased zoom and pan, as H.264 MP4 a browser plays.

Each frame is one sub-pixel box resample of the start image cropped to the frame's shape (at
the frame's size: a 2-tap upsample is 30 % cheaper than downsampling a larger source, and the
15 % zoom's softness suits a draft); frames go to ffmpeg as raw RGB through a pipe, and a
writer thread keeps ffmpeg encoding on one core while the next frames are drawn on the other.
"""

from __future__ import annotations

import os
import queue
import random
import subprocess
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import IO

import numpy as np
from PIL import Image, ImageOps

from core.media.ffmpeg import RenderError, ffmpeg_exe

# Drafts favour speed: ultrafast x264; the compositor re-encodes with the same settings so that
# clips it did not touch can be joined by stream copy.
DRAFT_X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p")

MAX_ZOOM = 1.15
AHEAD = 6  # frames drawn ahead of the encoder: bounded, a 1080p frame is 6 MB
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
    """Frames in order, drawn two at a time (PIL releases the GIL while it resamples)."""
    draw = partial(_frame, source, w, h, n, motion, max(1, round(fade_s * fps)))
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque = deque()
        for i in range(n):
            pending.append(pool.submit(draw, i))
            if len(pending) >= AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _encoder(w: int, h: int, fps: int, out: Path, metadata: dict[str, str]) -> subprocess.Popen:
    tags = [x for k, v in metadata.items() for x in ("-metadata", f"{k}={v}")]
    args = [
        ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps), "-i", "-",
        *DRAFT_X264, "-movflags", "+faststart", *tags, "-f", "mp4", str(out),
    ]  # fmt: skip
    return subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE)


def _pump(frames, stdin: IO[bytes]) -> None:
    """Draw frames here while a thread feeds ffmpeg (pipe writes release the GIL)."""
    buffer: queue.Queue = queue.Queue(maxsize=4)

    def feed():
        while (chunk := buffer.get()) is not None:
            try:
                stdin.write(chunk)
            except BrokenPipeError:
                return

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for chunk in frames:
            buffer.put(chunk)
    finally:
        buffer.put(None)
        writer.join()
        stdin.close()


def _keeping(frames, index: int, size: tuple[int, int], path: Path):
    for i, chunk in enumerate(frames):
        if i == index:
            Image.frombytes("RGB", size, chunk).save(path, "PPM")
        yield chunk


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
    tmp = out_path.with_name(f".{out_path.name}.part")
    proc = _encoder(width, height, fps, tmp, metadata)
    try:
        if proc.stdin is None or proc.stderr is None:  # never: _encoder pipes both
            raise RenderError("ffmpeg was started without its stdin and stderr pipes")
        frames = _frames(source, width, height, n, fps, motion, fade_s)
        if poster_path is not None:
            frames = _keeping(frames, n // 3, (width, height), poster_path)
        _pump(frames, proc.stdin)
        err = proc.stderr.read().decode(errors="replace")
        if proc.wait() != 0:
            raise RenderError(f"ffmpeg failed: {err.strip()[-300:]}")
        os.replace(tmp, out_path)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        tmp.unlink(missing_ok=True)
