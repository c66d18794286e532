"""Draft music: chords, bass and a beat at the prompt's tempo, in a mood its words suggest.

Everything is vectorised: each drum hit is one short sample placed on an impulse train by FFT
convolution, and each bar's chord is one block of summed partials.
"""

from __future__ import annotations

import os
import random
import re
import struct
import wave
import zlib
from pathlib import Path

import numpy as np

from core.media.ffmpeg import run_ffmpeg

SLOW = ("calm", "ambient", "slow", "gentle", "relax", "peaceful", "soft", "chill", "dreamy")
FAST = ("upbeat", "energetic", "fast", "driving", "party", "dance", "hype", "punchy", "action")
DARK = ("dark", "sad", "moody", "tense", "melancholic", "melancholy", "dramatic", "mysterious",
        "ominous", "gritty", "tension", "suspense", "cinematic")  # fmt: skip
BPM_RE = re.compile(r"(\d{2,3})\s*-?\s*bpm", re.I)
PROGRESSIONS = {
    "major": ([0, 7, 9, 5], [0, 5, 7, 5], [0, 9, 5, 7]),  # I-V-vi-IV, I-IV-V-IV, I-vi-IV-V
    "minor": ([0, 8, 3, 10], [0, 5, 8, 7], [0, 10, 8, 7]),  # i-VI-III-VII, i-iv-VI-V, ...
}
FULL_SCALE = 0.891  # -1 dBFS


def tempo_and_mood(prompt: str) -> tuple[int, str]:
    text = prompt.lower()
    words = set(re.findall(r"[a-z]+", text))
    mode = "minor" if words & set(DARK) else "major"
    if (m := BPM_RE.search(text)) and 40 <= int(m.group(1)) <= 220:
        return int(m.group(1)), mode
    if words & set(FAST):
        return 124, mode
    if words & set(SLOW):
        return 76, mode
    return 100, mode


def _hz(semitones_from_a3: float) -> float:
    return 220.0 * 2 ** (semitones_from_a3 / 12)


def _chord_block(root: float, mode: str, seconds: float, sr: int, bright: float) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    third = 3 if mode == "minor" else 4
    tone = np.zeros_like(t)
    for step in (0, third, 7, 12):
        f = _hz(root + step)
        for k in range(1, 4 if bright > 0.5 else 2):
            tone += np.sin(2 * np.pi * f * k * t) / (k * k)
    attack = np.minimum(1, t / 0.15)
    release = np.minimum(1, (seconds - t) / 0.2)
    return tone * attack * np.clip(release, 0, 1) * 0.12


def _bass_block(root: float, beat_s: float, seconds: float, sr: int) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    f = _hz(root - 24)
    phase_in_beat = np.mod(t, beat_s)
    env = np.exp(-phase_in_beat * 5)
    return np.sin(2 * np.pi * f * t) * env * 0.35


def _hit(kind: str, sr: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(0.25 * sr)) / sr
    if kind == "kick":
        freq = 50 + 90 * np.exp(-t * 30)
        return np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-t * 12) * 0.9
    noise = rng.standard_normal(t.size)
    if kind == "snare":
        return (noise * 0.5 + np.sin(2 * np.pi * 190 * t) * 0.4) * np.exp(-t * 22) * 0.5
    hat = np.diff(noise, prepend=0)  # a first difference: crude high-pass
    return hat * np.exp(-t * 90) * 0.12


def _place(sample: np.ndarray, onsets: np.ndarray, n: int) -> np.ndarray:
    train = np.zeros(n)
    train[onsets[onsets < n]] = 1.0
    size = 1 << int(np.ceil(np.log2(n + sample.size)))
    out = np.fft.irfft(np.fft.rfft(train, size) * np.fft.rfft(sample, size), size)
    return out[:n]


def _drums(n: int, sr: int, beat_s: float, calm: bool, rng) -> np.ndarray:
    beats = (np.arange(0, n / sr, beat_s) * sr).astype(int)
    kick = _place(_hit("kick", sr, rng), beats[0::2] if not calm else beats[0::4], n)
    if calm:
        return kick * 0.6
    snare = _place(_hit("snare", sr, rng), beats[1::2], n)
    eighths = (np.arange(0, n / sr, beat_s / 2) * sr).astype(int)
    return kick + snare + _place(_hit("hat", sr, rng), eighths, n)


def synthesize(prompt: str, duration_s: float, seed: int, sr: int = 32000) -> np.ndarray:
    """Stereo float samples (n, 2), peak at -1 dBFS, exactly duration_s long."""
    bpm, mode = tempo_and_mood(prompt)
    rnd = random.Random(seed * 7919 + zlib.crc32(prompt.encode()))
    rng = np.random.default_rng(rnd.getrandbits(32))
    n = max(1, round(duration_s * sr))
    beat_s, key = 60.0 / bpm, rnd.randint(-5, 6)
    progression = rnd.choice(PROGRESSIONS[mode])
    bright = 0.3 if mode == "minor" else 0.8
    pad, bass = np.zeros(n), np.zeros(n)
    bar_n = int(4 * beat_s * sr)
    for bar, start in enumerate(range(0, n, bar_n)):
        root = key + progression[bar % len(progression)]
        block = _chord_block(root, mode, 4 * beat_s, sr, bright)[: n - start]
        pad[start : start + block.size] += block
        low = _bass_block(root, beat_s, 4 * beat_s, sr)[: n - start]
        bass[start : start + low.size] += low
    drums = _drums(n, sr, beat_s, bpm < 90, rng)
    left, right = pad * 1.1 + bass + drums * 0.9, pad * 0.9 + bass + drums
    mix = np.stack([left, right], axis=1)
    fade = min(2.0, duration_s / 4)
    t = np.arange(n) / sr
    mix *= np.clip(np.minimum(t / 0.02, (duration_s - t) / fade), 0, 1)[:, None]
    peak = float(np.abs(mix).max()) or 1.0
    return mix * (FULL_SCALE / peak)


def _info_chunk(metadata: dict[str, str]) -> bytes:
    """A RIFF LIST/INFO chunk: title (INAM), the rest as key=value (ICMT), software (ISFT)."""
    title = metadata.get("title") or metadata.get("prompt") or ""
    rest = "; ".join(f"{k}={v}" for k, v in metadata.items() if k not in ("title",))
    body = b"INFO"
    for tag, text in ((b"INAM", title), (b"ICMT", rest), (b"ISFT", "Campaign Studio draft engine")):
        data = text.encode("utf-8") + b"\0"
        body += tag + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    return b"LIST" + struct.pack("<I", len(body)) + body


def _write_wav(pcm: np.ndarray, sr: int, path: Path, metadata: dict[str, str]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(sr)
        out.writeframes(pcm.tobytes())
    with open(path, "r+b") as f:  # append the tags, then fix the RIFF size
        f.seek(0, os.SEEK_END)
        f.write(_info_chunk(metadata))
        size = f.tell()
        f.seek(4)
        f.write(struct.pack("<I", size - 8))


def render_music(
    *,
    prompt: str,
    duration_s: float,
    seed: int,
    fmt: str,
    out_path: Path,
    metadata: dict[str, str],
    sample_rate: int = 32000,
) -> None:
    mix = synthesize(prompt, duration_s, seed, sample_rate)
    pcm = (mix * 32767).astype("<i2")
    tmp = out_path.with_name(f".{out_path.name}.part")
    try:
        if fmt == "mp3":
            tags = [x for k, v in metadata.items() for x in ("-metadata", f"{k}={v}")]
            run_ffmpeg(["-y", "-loglevel", "error", "-f", "s16le", "-ar", str(sample_rate),
                        "-ac", "2", "-i", "-", "-c:a", "libmp3lame", "-b:a", "192k", *tags,
                        "-f", "mp3", str(tmp)], stdin=pcm.tobytes())  # fmt: skip
        else:
            _write_wav(pcm, sample_rate, tmp, metadata)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
