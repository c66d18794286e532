"""Frames drawn in Python and piped raw into one ffmpeg encode: the draft engine's clips and the
animatic.

Two frames are drawn at a time (PIL and numpy release the GIL while they resample and blend), a
bounded few ahead of the encoder, while a writer thread feeds ffmpeg (pipe writes release the
GIL too): drawing keeps one core busy, x264 the other. The MP4 is written beside its place and
moved there whole, or not at all.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from PIL import Image

from core.media.ffmpeg import RenderError, ffmpeg_exe

AHEAD = 6  # frames drawn ahead of the encoder: bounded, a 1080p frame is 6 MB


def drawn_in_order(draw: Callable[[int], bytes], count: int) -> Iterator[bytes]:
    """`draw(0)` .. `draw(count - 1)`, in order, two drawn at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque = deque()
        for index in range(count):
            pending.append(pool.submit(draw, index))
            if len(pending) >= AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def keeping(frames: Iterable[bytes], index: int, size: tuple[int, int], path: Path):
    """The frames, passed on; frame `index` is also saved to `path` (PPM): a poster that costs
    nothing, where finding it later means decoding the video again."""
    for i, chunk in enumerate(frames):
        if i == index:
            Image.frombytes("RGB", size, chunk).save(path, "PPM")
        yield chunk


def raw_input(width: int, height: int, fps: int) -> list[str]:
    """ffmpeg's first input: the piped frames (RGB, `width` x `height`)."""
    return ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps),
            "-i", "-"]  # fmt: skip


def tags(metadata: dict[str, str]) -> list[str]:
    return [x for k, v in metadata.items() for x in ("-metadata", f"{k}={v}")]


def encode(frames: Iterable[bytes], args: Sequence[str], out_path: Path) -> None:
    """Runs `ffmpeg <args> -f mp4 <out_path>` fed `frames` (its first input is `raw_input`);
    raises RenderError with ffmpeg's own message when it fails."""
    tmp = out_path.with_name(f".{out_path.name}.part")
    command = [ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error", *args,
               "-movflags", "+faststart", "-f", "mp4", str(tmp)]  # fmt: skip
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        if proc.stdin is None or proc.stderr is None:  # never: both are piped above
            raise RenderError("ffmpeg was started without its stdin and stderr pipes")
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


def _pump(frames: Iterable[bytes], stdin: IO[bytes]) -> None:
    """Draw frames here while a thread feeds ffmpeg."""
    buffer: queue.Queue = queue.Queue(maxsize=4)

    def feed() -> None:
        broken = False
        while (chunk := buffer.get()) is not None:
            if broken:
                continue  # ffmpeg stopped (its message says why): drain, so drawing ends
            try:
                stdin.write(chunk)
            except BrokenPipeError:
                broken = True

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for chunk in frames:
            buffer.put(chunk)
    finally:
        buffer.put(None)
        writer.join()
        stdin.close()
