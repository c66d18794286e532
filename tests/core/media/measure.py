"""What a viewer would hear and see in a rendered file, measured with ffmpeg on its own: the
sound's loudness over time and as a whole, and the pixels of a frame."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from core.media.draft.video import DRAFT_X264
from core.media.ffmpeg import ffmpeg_exe

RATE = 16000


def _run(args: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", *args], capture_output=True)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-600:]
    return result


def sound(path: Path, rate: int = RATE) -> np.ndarray:
    """The first audio stream, mono float samples."""
    out = _run(["-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"])
    return np.frombuffer(out.stdout, dtype="<f4")


def envelope(samples: np.ndarray, rate: int = RATE, window_s: float = 0.05) -> np.ndarray:
    """RMS level of each window, in dBFS."""
    n = int(rate * window_s)
    frames = samples[: len(samples) // n * n].reshape(-1, n).astype(np.float64)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


def level_between(samples: np.ndarray, a: float, b: float, rate: int = RATE) -> float:
    """RMS level of the sound from a to b seconds, in dBFS."""
    part = samples[int(a * rate) : int(b * rate)].astype(np.float64)
    return float(10 * np.log10(np.mean(part**2) + 1e-12))


def loudness(path: Path) -> dict[str, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's loudnorm meter."""
    err = _run(["-i", str(path), "-map", "0:a:0", "-af", "loudnorm=print_format=json",
                "-f", "null", "-"]).stderr.decode()  # fmt: skip
    values = json.loads(err[err.rfind("{") : err.rfind("}") + 1])
    return {"lufs": float(values["input_i"]), "true_peak": float(values["input_tp"])}


def frame(path: Path, at_s: float, width: int, height: int) -> np.ndarray:
    """The picture at `at_s`, (height, width, 3) RGB."""
    out = _run(["-ss", f"{at_s:.3f}", "-i", str(path), "-frames:v", "1", "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-"])  # fmt: skip
    return np.frombuffer(out.stdout, dtype=np.uint8).reshape(height, width, 3)


def solid_clip(path: Path, width: int, height: int, seconds: float, colour: str,
               fps: int = 24) -> Path:  # fmt: skip
    """A plain clip of one light colour, encoded like a draft clip: anything dark on it later
    was drawn over it."""
    _run(["-y", "-f", "lavfi", "-i", f"color=c={colour}:s={width}x{height}:d={seconds}:r={fps}",
          *DRAFT_X264, str(path)])  # fmt: skip
    return path


def dark_box(picture: np.ndarray, below: int = 110) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the pixels darker than `below` in every channel."""
    dark = (picture < below).all(axis=2)
    rows, cols = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    if rows.size == 0:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def dark_bands(picture: np.ndarray, below: int = 110, min_px: int = 20) -> list[tuple[int, int]]:
    """(top, bottom) of each run of rows holding at least `min_px` dark pixels."""
    counts = (picture < below).all(axis=2).sum(axis=1)
    rows = np.flatnonzero(counts >= min_px)
    bands: list[tuple[int, int]] = []
    for r in rows:
        if bands and r == bands[-1][1]:
            bands[-1] = (bands[-1][0], int(r) + 1)
        else:
            bands.append((int(r), int(r) + 1))
    return bands
