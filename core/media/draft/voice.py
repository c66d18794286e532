"""Draft voice: real speech made on this machine by eSpeak NG, with no network and no weights.

eSpeak NG is a formant synthesiser: rules and a small phoneme table, no trained model. The
`espeakng-loader` wheel ships its shared library and data (English dictionaries included), so
nothing is installed on the system or fetched at run time. Each line is spoken by the library in
a short-lived process of its own (see `espeak_child`), which hands back the samples and, for
each word, where it starts in the sound.
"""

from __future__ import annotations

import importlib.util
import json
import os
import struct
import subprocess
import sys
import wave
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.media.speech import SILENCE_DBFS, WINDOW_S, Word, rms_dbfs, words_chunk

# The draft voices, named like the paid models' (kokoro: `af_bella`): accent and gender, each an
# eSpeak NG language with one of its voice variants.
VOICES = {
    "us_female": "en-us+f3",
    "us_male": "en-us+m3",
    "uk_female": "en+f2",
    "uk_male": "en+m1",
}
DEFAULT_VOICE = "us_female"
# Words a minute at speed 1: the storyboard's "normal speaking rate" of about 2.5 words a second
# (eSpeak's own default, 175, sounds hurried in an ad; its minutes count short words).
BASE_WPM = 140
MIN_WPM, MAX_WPM = 80, 450  # what eSpeak NG accepts
PEAK = 0.708  # -3 dBFS: room for the mix, loud enough to judge
EVENT_END, EVENT_WORD, EVENT_TERMINATED = 5, 1, 6
CHILD = Path(__file__).with_name("espeak_child.py")
TIMEOUT_S = 60.0


class VoiceError(RuntimeError):
    """The speech engine could not be found or refused the text."""


@lru_cache(maxsize=1)
def _package_dir() -> Path:
    spec = importlib.util.find_spec("espeakng_loader")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if Path(folder, "libespeak-ng.so").exists():
            return Path(folder)
    raise VoiceError("eSpeak NG is not installed (pip install espeakng-loader).")


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray  # int16, mono
    sample_rate: int
    words: list[Word]

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


def _settings(voice: str, speed: float, pitch: int) -> tuple[str, int, int]:
    if voice not in VOICES:
        raise VoiceError(f"Unknown draft voice '{voice}' (voices: {', '.join(VOICES)}).")
    wpm = int(round(min(MAX_WPM, max(MIN_WPM, BASE_WPM * speed))))
    # eSpeak's pitch runs 0..100 around 50, an octave each way: 50/12 steps a semitone.
    level = int(round(min(100, max(0, 50 + pitch * 50 / 12))))
    return VOICES[voice], wpm, level


def _speak(name: str, wpm: int, level: int, seed: int, text: str):
    folder = _package_dir()
    args = [sys.executable, "-I", "-S", str(CHILD), str(folder / "libespeak-ng.so"),
            str(folder / "espeak-ng-data"), name, str(wpm), str(level), str(seed)]  # fmt: skip
    try:
        result = subprocess.run(args, input=text.encode("utf-8"), capture_output=True,
                                timeout=TIMEOUT_S)  # fmt: skip
    except subprocess.TimeoutExpired as error:
        raise VoiceError(f"eSpeak NG took over {TIMEOUT_S:g} s on one line.") from error
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["crashed"]
        raise VoiceError(f"eSpeak NG failed: {reason[0]}")
    head, _, pcm = result.stdout.partition(b"\n")
    info = json.loads(head)
    events = [(int(k), int(pos), int(ms)) for k, pos, ms in info["events"]]
    return int(info["rate"]), events, np.frombuffer(pcm, dtype="<i2")


def synthesize(text: str, *, voice: str = DEFAULT_VOICE, speed: float = 1.0, pitch: int = 0,
               seed: int = 0) -> Speech:  # fmt: skip
    """`text` spoken; the words as written in it, each with when it is said. The voice
    variants waver a little at random: `seed` makes that the same every time."""
    name, wpm, level = _settings(voice, speed, pitch)
    rate, events, raw = _speak(name, wpm, level, seed, text)
    pcm = _normalised(raw)
    return Speech(pcm, rate, _trimmed(_words(text, events, len(pcm) / rate), pcm, rate))


def _normalised(pcm: np.ndarray) -> np.ndarray:
    peak = float(np.abs(pcm.astype(np.int32)).max()) if pcm.size else 0.0
    if peak == 0:
        return pcm.astype(np.int16)
    return np.round(pcm * (PEAK * 32767 / peak)).astype(np.int16)


def _words(text: str, events: list[tuple[int, int, int]], total_s: float) -> list[Word]:
    """The engine's word events mapped onto the words as written: a written word the engine
    said as several ("brewco.com", "10,000") spans them all; one it did not say ("—") shares
    the time of the word before."""
    starts = [(pos - 1, ms / 1000) for kind, pos, ms in events if kind == EVENT_WORD]
    stops = sorted({ms / 1000 for kind, _, ms in events if kind in (EVENT_END, EVENT_TERMINATED)})
    bounds = sorted({t for _, t in starts} | set(stops) | {total_s})
    words: list[Word] = []
    for token_start, token in _tokens(text):
        said = [t for pos, t in starts if token_start <= pos < token_start + len(token)]
        if not said:
            if words:
                last = words[-1]
                words[-1] = Word(f"{last.text} {token}", last.start_s, last.end_s)
            continue
        end = next((b for b in bounds if b > said[-1]), total_s)
        words.append(Word(token, round(said[0], 3), round(end, 3)))
    return words


def _trimmed(words: list[Word], pcm: np.ndarray, rate: int) -> list[Word]:
    """Each word ended where its sound does: the engine counts the pause after a clause as part
    of its last word, and a caption should not wait through it."""
    level = rms_dbfs(pcm.astype(np.float32) / 32768, rate)
    loud = np.flatnonzero(level > SILENCE_DBFS) * WINDOW_S
    out = []
    for w in words:
        inside = loud[(loud >= w.start_s) & (loud + WINDOW_S <= w.end_s)]
        end = min(w.end_s, float(inside[-1]) + WINDOW_S) if inside.size else w.end_s
        out.append(Word(w.text, w.start_s, round(max(end, w.start_s + WINDOW_S), 3)))
    return out


def _tokens(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for token in text.split():
        at = text.index(token, at)
        out.append((at, token))
        at += len(token)
    return out


def _info_chunk(metadata: dict[str, str]) -> bytes:
    """A RIFF LIST/INFO chunk: the line as title (INAM), the rest as key=value (ICMT)."""
    title = metadata.get("title") or metadata.get("prompt") or ""
    rest = "; ".join(f"{k}={v}" for k, v in metadata.items() if k != "title")
    body = b"INFO"
    for tag, text in ((b"INAM", title), (b"ICMT", rest), (b"ISFT", "Campaign Studio draft voice")):
        data = text.encode("utf-8") + b"\0"
        body += tag + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    return b"LIST" + struct.pack("<I", len(body)) + body


def write_wav(speech: Speech, path: Path, metadata: dict[str, str]) -> None:
    """16-bit mono WAV with its provenance and its word times (chunks players skip)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(speech.sample_rate)
        out.writeframes(speech.samples.astype("<i2").tobytes())
    with open(path, "r+b") as f:
        f.seek(0, os.SEEK_END)
        f.write(_info_chunk(metadata))
        f.write(words_chunk(speech.words))
        size = f.tell()
        f.seek(4)
        f.write(struct.pack("<I", size - 8))


def render_voice(*, text: str, out_path: Path, metadata: dict[str, str], voice: str = DEFAULT_VOICE,
                 speed: float = 1.0, pitch: int = 0, seed: int = 0) -> Speech:  # fmt: skip
    """The line spoken into a WAV file at out_path (written whole or not at all)."""
    if not text.strip():
        raise VoiceError("There is no text to speak.")
    speech = synthesize(text, voice=voice, speed=speed, pitch=pitch, seed=seed)
    tmp = out_path.with_name(f".{out_path.name}.part")
    try:
        write_wav(speech, tmp, metadata)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return speech
