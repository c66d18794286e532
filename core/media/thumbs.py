"""Previews for the gallery: image thumbnails, video poster frames, audio waveforms; and single
frames of a video (a start image for the next clip).

A video's poster is its most telling frame, not a fixed moment: ads and clips fade in from
black, and an ad ends on its call to action; a player shows the poster before the first press
of play (Streamlit's player has none, so the Showcase shows it instead of the player until
then)."""

from __future__ import annotations

import secrets
import subprocess
import wave
from pathlib import Path

import numpy as np
from PIL import Image

from core.media import store
from core.media.ffmpeg import RenderError, ffmpeg_exe, probe, run_ffmpeg

THUMB_SIDE = 384
SAMPLES = 6  # frames judged for a poster: each one a seek and a tiny decode
JUDGE_WIDTH = 96  # px: detail and contrast show at this size already
FADE_S = 0.5  # a draft clip fades in and out over about this long
DARK, FLAT = 24.0, 6.0  # mean and spread (0-255 grey) under which a frame shows nothing


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


def _small_grey(video_path: Path, at_s: float) -> np.ndarray | None:
    """The frame at `at_s`, shrunk to a grey thumbnail: enough to judge, cheap to decode."""
    result = subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-ss", f"{at_s:.3f}", "-i",
         str(video_path), "-frames:v", "1", "-vf", f"scale={JUDGE_WIDTH}:-2,format=gray",
         "-f", "rawvideo", "-"], capture_output=True,
    )  # fmt: skip
    if result.returncode != 0 or not result.stdout:
        return None
    pixels = np.frombuffer(result.stdout, dtype=np.uint8)
    return pixels.reshape(-1, JUDGE_WIDTH).astype(np.float32)


def detail(grey: np.ndarray) -> float:
    """How much a frame shows: its contrast plus its edges; 0 for a black or near-uniform one
    (a fade, a flat colour), which is never a poster while anything else is on offer."""
    if grey.mean() < DARK or grey.std() < FLAT:
        return 0.0
    edges = np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean()
    return float(grey.std() + 2 * edges)


def representative_time(video_path: Path, before_s: float | None = None) -> float:
    """The moment that shows the video best: of a few frames spread over its start (before
    `before_s`, where an ad's end card begins), the one with the most detail; past the fades
    at either end. A video of only dark or flat frames gets its middle sample."""
    duration = probe(video_path).duration_s or 0.0
    end = duration if before_s is None or before_s <= 0 else min(duration, before_s)
    edge = min(FADE_S, end / 4)
    times = [edge + (end - 2 * edge) * (i + 0.5) / SAMPLES for i in range(SAMPLES)]
    scores = []
    for at in times:
        grey = _small_grey(video_path, at)
        scores.append(detail(grey) if grey is not None else -1.0)
    best = max(range(SAMPLES), key=lambda i: (scores[i], -abs(i - SAMPLES // 2)))
    return times[best] if scores[best] > 0 else times[SAMPLES // 2]


def poster_frame(
    video_path: Path, out_path: Path, max_side: int | None = THUMB_SIDE,
    before_s: float | None = None,
) -> None:  # fmt: skip
    """A JPEG of the video's most telling frame (`representative_time`), at most `max_side`
    pixels on its longer side (None: the video's own size)."""
    png = out_path.with_name(f".{out_path.name}.png")
    try:
        extract_frame(video_path, png, at_s=representative_time(video_path, before_s))
        with Image.open(png) as img:
            _save_jpeg(img, out_path, max_side or max(img.size))
    finally:
        png.unlink(missing_ok=True)


def stored_poster(rel: str, before_s: float | None = None) -> Path:
    """The full-size poster of a stored video, made on first use and kept beside it (and in the
    object store, for the other machines); `before_s`: where its end card begins."""
    target = store.derived_path(Path(rel).name.split(".")[0], store.POSTER_SUFFIX)
    if target.is_file():
        return target
    cached = store.abs_path(str(target.relative_to(store.media_dir())))  # another machine's
    if cached.is_file():
        return cached
    # A name of its own: two pages asking at once must not write one file.
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp.jpg")
    try:
        poster_frame(store.abs_path(rel), tmp, max_side=None, before_s=before_s)
        store.publish(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)  # published: moved away already
    return target


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
