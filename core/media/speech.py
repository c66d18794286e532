"""Spoken lines as sound and time: decoding, where the speech is, and when each word is said.

Captions follow the words. The draft voice knows when it said each word (eSpeak NG reports it)
and keeps that in its WAV file, in a RIFF chunk of its own that players skip; a voice from a
model that reports nothing gets its words spread over the speech measured in its file, each in
proportion to its length, with a little more room after a comma or a full stop (where a speaker
pauses).
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.media.ffmpeg import RenderError, ffmpeg_exe

WORDS_CHUNK = b"wrds"  # our RIFF chunk: the words and their times, as JSON
SILENCE_DBFS = -40.0  # quieter than this (20 ms windows) is not speech
WINDOW_S = 0.02
PAUSE_WEIGHT = {",": 3, ";": 3, ":": 3, ".": 6, "!": 6, "?": 6}  # in characters of speech
ANALYSIS_RATE = 16000  # enough to tell speech from silence


@dataclass(frozen=True)
class Word:
    """A word as written in the line (punctuation kept), and when it is said, in seconds."""

    text: str
    start_s: float
    end_s: float

    def shifted(self, by_s: float) -> Word:
        return Word(self.text, round(self.start_s + by_s, 3), round(self.end_s + by_s, 3))


def words_chunk(words: list[Word]) -> bytes:
    """A RIFF chunk holding `words` (appended to a WAV file by its writer)."""
    body = json.dumps([[w.text, w.start_s, w.end_s] for w in words]).encode()
    pad = b"\0" if len(body) % 2 else b""
    return WORDS_CHUNK + struct.pack("<I", len(body)) + body + pad


def read_words(path: Path) -> list[Word] | None:
    """The word times a WAV file carries, or None (not a WAV, or none recorded)."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            while len(header := f.read(8)) == 8:
                tag, size = header[:4], struct.unpack("<I", header[4:])[0]
                if tag == WORDS_CHUNK:
                    rows = json.loads(f.read(size))
                    return [Word(str(t), float(a), float(b)) for t, a, b in rows]
                f.seek(size + size % 2, 1)
    except (OSError, ValueError, TypeError):
        return None
    return None


def decode(path: Path, *, sample_rate: int = 48000, channels: int = 1) -> np.ndarray:
    """The file's sound as float32 samples, (n,) for mono, (n, channels) otherwise."""
    result = subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path),
         "-map", "0:a:0", "-ac", str(channels), "-ar", str(sample_rate), "-f", "f32le", "-"],
        capture_output=True,
    )  # fmt: skip
    if result.returncode != 0:
        tail = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise RenderError(f"could not decode {path.name}: {' '.join(tail)}")
    samples = np.frombuffer(result.stdout, dtype="<f4")
    return samples if channels == 1 else samples.reshape(-1, channels)


def rms_dbfs(samples: np.ndarray, sample_rate: int, window_s: float = WINDOW_S) -> np.ndarray:
    """Loudness of each `window_s` window of mono samples, in dBFS (silence: -120)."""
    n = int(sample_rate * window_s)
    count = len(samples) // n
    if count == 0:
        return np.zeros(0)
    frames = samples[: count * n].reshape(count, n).astype(np.float64)
    return 10 * np.log10(np.mean(frames * frames, axis=1) + 1e-12)


def speech_span(samples: np.ndarray, sample_rate: int) -> tuple[float, float] | None:
    """(start, end) in seconds of the sound between the leading and trailing silence; None if
    the whole file is silent."""
    loud = np.flatnonzero(rms_dbfs(samples, sample_rate) > SILENCE_DBFS)
    if loud.size == 0:
        return None
    return float(loud[0] * WINDOW_S), float((loud[-1] + 1) * WINDOW_S)


def spread_words(text: str, start_s: float, end_s: float) -> list[Word]:
    """The line's words over [start_s, end_s], each given time in proportion to its letters and
    the pause its punctuation asks for."""
    tokens = text.split()
    if not tokens:
        return []
    # The speech ends with the last word: a full stop there is no pause within it.
    pauses = [PAUSE_WEIGHT.get(t[-1], 0) for t in tokens[:-1]] + [0]
    weights = [len(re.sub(r"\W", "", t)) + 1 + p for t, p in zip(tokens, pauses, strict=True)]
    scale = (end_s - start_s) / sum(weights)
    words, at = [], start_s
    for token, weight, pause_weight in zip(tokens, weights, pauses, strict=True):
        pause = pause_weight * scale
        words.append(Word(token, round(at, 3), round(at + weight * scale - pause, 3)))
        at += weight * scale
    return words


def line_words(path: Path, text: str) -> tuple[list[Word], tuple[float, float]]:
    """When each word of `text` is said in the voice file at `path`, and the speech's span:
    the engine's own times where the file carries them, else the words spread over the
    measured speech. Raises ValueError for a file with no speech in it."""
    span = speech_span(decode(path, sample_rate=ANALYSIS_RATE), ANALYSIS_RATE)
    if span is None:
        raise ValueError(f"the voice file {path.name} is silent")
    recorded = read_words(path)
    if recorded:
        start, end = span
        # The engine's times bound the speech better than a loudness threshold (soft onsets)
        span = (min(start, recorded[0].start_s), max(end, recorded[-1].end_s))
        return recorded, span
    return spread_words(text, *span), span
