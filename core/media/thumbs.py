"""Previews for the gallery: image thumbnails, video poster frames, audio waveforms; and single
frames of a video (a start image for the next clip)."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
from PIL import Image

from core.media.ffmpeg import RenderError, ffmpeg_exe, probe, run_ffmpeg

THUMB_SIDE = 384


def _save_jpeg(img: Image.Image, out_path: Path, max_side: int) -> None:
    # A JPEG decodes straight at 1/2..1/8 scale (libjpeg's DCT scaling): a 1024 px Replicate
    # output costs a quarter of the CPU. reducing_gap shrinks by whole factors first, and the
    # last step is bilinear (antialiased in Pillow, plenty for a 384 px card), the cheapest
    # filter for the resize that costs the most.
    img.draft("RGB", (max_side, max_side))
    img = img.convert("RGB")
    img.thumbnail((max_side, max_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    img.save(out_path, "JPEG", quality=82)


def thumbnail(image_path: Path, out_path: Path, max_side: int = THUMB_SIDE) -> None:
    with Image.open(image_path) as img:
        _save_jpeg(img, out_path, max_side)


def extract_frame(video_path: Path, out_path: Path, at_s: float | None = None) -> None:
    """One frame as PNG; `at_s=None` is the last frame (reading back from the end)."""
    if at_s is None:
        seek = ["-sseof", "-0.5"]  # the last half second, keep updating to its final frame
        args = [*seek, "-i", str(video_path), "-update", "1"]
    else:
        duration = probe(video_path).duration_s or 0
        args = ["-ss", f"{max(0.0, min(at_s, duration - 0.05)):.3f}", "-i", str(video_path),
                "-frames:v", "1"]  # fmt: skip
    run_ffmpeg(["-y", "-loglevel", "error", *args, "-f", "image2", "-c:v", "png", str(out_path)])
    if not out_path.exists():
        raise RenderError(f"no frame at {at_s} s in {video_path.name}")


def poster_frame(video_path: Path, out_path: Path, max_side: int = THUMB_SIDE) -> None:
    """A frame a third of the way in: past the fade-in, usually the clip's subject."""
    duration = probe(video_path).duration_s or 0
    png = out_path.with_name(f".{out_path.name}.png")
    try:
        extract_frame(video_path, png, at_s=min(duration / 3, max(0.0, duration - 0.1)))
        with Image.open(png) as img:
            _save_jpeg(img, out_path, max_side)
    finally:
        png.unlink(missing_ok=True)


def _pcm(audio_path: Path, rate: int = 8000) -> np.ndarray:
    """Mono samples; a 16-bit WAV is read directly (spawning ffmpeg costs ~25 ms)."""
    try:
        with wave.open(str(audio_path)) as w:
            if w.getsampwidth() == 2:
                pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
                return pcm.reshape(-1, w.getnchannels()).mean(axis=1) / 32768
    except (wave.Error, EOFError):
        pass
    result = subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-i", str(audio_path), "-ac", "1",
         "-ar", str(rate), "-f", "s16le", "-"], capture_output=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise RenderError(f"cannot decode {audio_path.name}")
    return np.frombuffer(result.stdout, dtype="<i2").astype(np.float32) / 32768


def waveform(
    audio_path: Path, out_path: Path, width: int = 640, height: int = 120, colour: str = "#4F46E5"
) -> None:
    """The min/max envelope per pixel column, drawn as one array operation."""
    samples = _pcm(audio_path)
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = (248, 250, 252)
    if samples.size >= width:
        cols = samples[: samples.size // width * width].reshape(width, -1)
        mid = height / 2
        top = (mid - cols.max(axis=1) * mid * 0.95).astype(int)
        bottom = (mid - cols.min(axis=1) * mid * 0.95).astype(int)
        rows = np.arange(height)[:, None]
        ink = (rows >= top[None, :]) & (rows <= bottom[None, :])
        canvas[ink] = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    Image.fromarray(canvas).save(out_path, "PNG", compress_level=1)
