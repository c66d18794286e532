"""Loudness for online video: measured (EBU R128 / ITU-R BS.1770) and normalised, with ffmpeg.

Platforms play ads at about -14 LUFS integrated and turn louder ones down; a true peak above
-1 dBTP distorts once a player or platform re-encodes it. Normalising: ffmpeg's EBU R128 meter
gives the integrated loudness, then one gain and a look-ahead peak limiter bring it to -14 LUFS;
the limiter takes a little loudness off, which a second pass gives back (the meter runs in the
same pass, on the way out). ffmpeg's `loudnorm` would do it in one filter, but it resamples
everything to 192 kHz and, whenever the peaks do not allow one plain gain (a voice over music
rarely does), compresses dynamically: ten times slower here (2.4 s for 30 s, against 0.25 s).
The limiter's ceiling is 2.5 dB under full scale: sample peaks there give true peaks near
-2 dBTP, and the AAC encode that follows can raise them a few tenths of a dB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from core.media.ffmpeg import RenderError, run_ffmpeg

TARGET_LUFS = -14.0
MAX_TRUE_PEAK_DBTP = -1.0
LIMIT = 0.75  # -2.5 dBFS sample peak
PASSES = 3
CLOSE_ENOUGH_LU = 0.15
SILENT_LUFS = -69.0  # the meter reads -70 for silence


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float  # 0 when measured without it
    range_lu: float
    threshold_lufs: float = -70.0


def _summary(stderr: str) -> Loudness:
    summary = stderr[stderr.rfind("Summary:") :]

    def number(label: str, default: float | None = None) -> float:
        match = re.search(rf"{label}:\s+(-?[\d.]+|-inf)", summary)
        if not match:
            if default is not None:
                return default
            raise RenderError(f"ebur128 printed no {label}")
        return float(match.group(1).replace("-inf", "-120"))

    return Loudness(number("I"), number("Peak", 0.0), number("LRA"), number("Threshold"))


def measure(path: Path, *, true_peak: bool = True) -> Loudness:
    """Integrated loudness, true peak and loudness range of the first audio stream (without
    `true_peak`, three times faster)."""
    meter = "ebur128=peak=true" if true_peak else "ebur128"
    err = run_ffmpeg(["-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0",
                      "-af", meter, "-f", "null", "-"])  # fmt: skip
    return _summary(err)


def _limited(source: Path, out_path: Path, gain_db: float, sample_rate: int) -> Loudness:
    """`source` through the gain and the limiter into out_path, measured on the way."""
    # alimiter's own auto-level (on by default) would undo the gain: off.
    chain = (
        f"volume={gain_db:.2f}dB,alimiter=limit={LIMIT}:level=false:attack=5:release=60,"
        f"aresample={sample_rate},ebur128=peak=true"
    )
    err = run_ffmpeg(["-y", "-hide_banner", "-nostats", "-i", str(source), "-af", chain,
                      "-c:a", "pcm_s16le", str(out_path)])  # fmt: skip
    return _summary(err)


def normalize(source: Path, out_path: Path, *, sample_rate: int = 48000) -> Loudness:
    """`source` at -14 LUFS with true peaks under -1 dBTP, as 16-bit PCM WAV at `sample_rate`;
    returns the result's measurement."""
    first = measure(source, true_peak=False)
    if first.integrated_lufs < SILENT_LUFS:  # silence: nothing to bring up
        return _limited(source, out_path, 0.0, sample_rate)
    gain = TARGET_LUFS - first.integrated_lufs
    for _ in range(PASSES):
        result = _limited(source, out_path, gain, sample_rate)
        miss = TARGET_LUFS - result.integrated_lufs
        if abs(miss) <= CLOSE_ENOUGH_LU:
            break
        gain += miss
    return result
