"""The ad's sound: voice lines placed in their scenes, over music ducked under the speech, the
whole loudness-normalised for online video.

A line starts a moment after its scene's cut and should end before the next one. The voice is
one continuous track laid over the whole ad, so a cut never clips it; a line longer than its
scene is started earlier (down to the cut itself) and otherwise runs on into the next scene,
pushing that scene's line later. Only a line that would still be speaking when the ad ends
cannot be placed: `VoiceDoesNotFit` says which, and by how much.

Levels are set from the speech itself: every line is brought to one speaking level, the music
sits `MUSIC_BED_DB` under it, and under speech (with a short lead-in and a slower release) it
dips `DUCK_DB` further. Then `loudness.normalize` brings the whole to -14 LUFS.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.media import loudness
from core.media.speech import Word, decode, line_words, rms_dbfs

RATE = 48000
LEAD_S = 0.3  # after a scene's cut, before its line starts
TAIL_S = 0.2  # quiet left before the next cut (or the end of the ad)
GAP_S = 0.3  # at least this between one line and the next
PRE_ROLL_S = 0.05  # kept before the measured start of speech: soft onsets are not clipped
POST_ROLL_S = 0.12  # and after its end: a trailing consonant decays
EDGE_FADE_S = 0.01
SPEECH_DBFS = -20.0  # every line's speaking level (RMS over its voiced windows)
MUSIC_BED_DB = -8.0  # music under the speaking level where nobody speaks
DUCK_DB = -12.0  # more under speech
DUCK_ATTACK_S, DUCK_RELEASE_S = 0.25, 0.6
MUSIC_FADE_S = 2.0


@dataclass(frozen=True)
class VoiceLine:
    """A scene's line: its voice file and its text as written (for the captions)."""

    scene: int  # index of the scene it belongs to
    path: Path
    text: str


@dataclass(frozen=True)
class Placement:
    """Where a line's speech sits in the ad, with each word in ad time."""

    line: VoiceLine
    clip_start_s: float  # the part of the file that is used
    clip_end_s: float
    at_s: float  # where that part starts in the ad
    words: tuple[Word, ...]
    scene_end_s: float

    @property
    def end_s(self) -> float:
        return self.at_s + (self.clip_end_s - self.clip_start_s)

    @property
    def spill_s(self) -> float:
        """How far the line runs past its own scene's cut (0 when it fits)."""
        return max(0.0, round(self.end_s + TAIL_S - self.scene_end_s, 3))


class VoiceDoesNotFit(ValueError):
    """A line would still be speaking when the ad ends."""

    def __init__(self, scene: int, over_s: float):
        self.scene, self.over_s = scene, over_s
        super().__init__(
            f"Scene {scene + 1}'s voice line runs {over_s:.1f} s past the end of the ad: "
            "shorten the line (or an earlier one), speak it faster, or lengthen the scene."
        )


def _scene_starts(durations: list[float]) -> list[float]:
    return [float(sum(durations[:i])) for i in range(len(durations))]


def place_lines(lines: list[VoiceLine], durations: list[float]) -> list[Placement]:
    """Each line placed in its scene (in scene order); VoiceDoesNotFit if one cannot be."""
    starts, total = _scene_starts(durations), float(sum(durations))
    placements: list[Placement] = []
    free_from = 0.0
    for line in sorted(lines, key=lambda x: x.scene):
        words, (speech_start, speech_end) = line_words(line.path, line.text)
        clip_start = max(0.0, speech_start - PRE_ROLL_S)
        clip_end = speech_end + POST_ROLL_S
        length = clip_end - clip_start
        scene_start = starts[line.scene]
        scene_end = scene_start + durations[line.scene]
        # The speech itself starts LEAD_S after the cut; a long line gives up that lead before
        # it gives up its scene.
        at = min(scene_start + LEAD_S - (speech_start - clip_start), scene_end - TAIL_S - length)
        at = max(at, scene_start, free_from)
        if at + length > total - EDGE_FADE_S:
            raise VoiceDoesNotFit(line.scene, round(at + length - total, 2))
        shift = at - clip_start
        placed = tuple(w.shifted(shift) for w in words)
        placements.append(Placement(line, clip_start, clip_end, at, placed, scene_end))
        free_from = at + length + GAP_S
    return placements


def _fade_edges(samples: np.ndarray) -> np.ndarray:
    n = min(len(samples) // 2, int(EDGE_FADE_S * RATE))
    if n:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        samples[:n] *= ramp
        samples[-n:] *= ramp[::-1]
    return samples


def _speaking_gain(samples: np.ndarray) -> float:
    level = rms_dbfs(samples, RATE)
    voiced = level[level > level.max() - 25] if level.size else level
    if voiced.size == 0:
        return 1.0
    speaking = 10 * np.log10(np.mean(10 ** (voiced / 10)))
    return float(10 ** ((SPEECH_DBFS - speaking) / 20))


def voice_track(placements: list[Placement], total_s: float) -> np.ndarray:
    """Mono float samples at RATE: each line at its place and speaking level, silence between."""
    track = np.zeros(int(round(total_s * RATE)), dtype=np.float32)
    for p in placements:
        source = decode(p.line.path, sample_rate=RATE)
        part = source[int(p.clip_start_s * RATE) : int(p.clip_end_s * RATE)].copy()
        part = _fade_edges(part * _speaking_gain(part))
        at = int(round(p.at_s * RATE))
        part = part[: len(track) - at]
        track[at : at + len(part)] += part
    return track


def duck_envelope(placements: list[Placement], n: int) -> np.ndarray:
    """Music gain per sample: 1 where nobody speaks, DUCK_DB under speech, with ramps."""
    step = 0.01  # gain computed every 10 ms, then interpolated
    times = np.arange(0, n / RATE + step, step)
    low = 10 ** (DUCK_DB / 20)
    gain = np.ones_like(times)
    for p in placements:
        a, b = p.at_s - DUCK_ATTACK_S, p.end_s
        gain = np.minimum(gain, np.interp(times, [a - 1e-3, a, a + DUCK_ATTACK_S, b,
                                                  b + DUCK_RELEASE_S, b + DUCK_RELEASE_S + 1e-3],
                                          [1, 1, low, low, 1, 1]))  # fmt: skip
    return np.interp(np.arange(n) / RATE, times, gain).astype(np.float32)


def music_bed(music: Path, total_s: float, placements: list[Placement]) -> np.ndarray:
    """Stereo float samples: the music cut or padded to the ad, faded out at the end, set under
    the speaking level and ducked under each line."""
    n = int(round(total_s * RATE))
    source = decode(music, sample_rate=RATE, channels=2)[:n]
    bed = np.zeros((n, 2), dtype=np.float32)
    bed[: len(source)] = source
    fade_at = max(0.0, total_s - MUSIC_FADE_S)
    t = np.arange(n) / RATE
    bed *= np.clip((total_s - t) / max(total_s - fade_at, 1e-3), 0, 1)[:, None].astype(np.float32)
    if placements:
        level = rms_dbfs(bed.mean(axis=1), RATE)
        loud = level[level > -60]
        if loud.size:
            music_db = 10 * np.log10(np.mean(10 ** (loud / 10)))
            bed *= np.float32(10 ** ((SPEECH_DBFS + MUSIC_BED_DB - music_db) / 20))
        bed *= duck_envelope(placements, n)[:, None]
    return bed


@dataclass(frozen=True)
class MixFacts:
    placements: list[Placement]
    loudness: loudness.Loudness  # of the normalised mix


def mix(*, total_s: float, placements: list[Placement], music: Path | None, out_path: Path,
        work: Path) -> MixFacts:  # fmt: skip
    """The ad's sound as a 48 kHz stereo WAV at out_path: voice over ducked music, normalised
    to -14 LUFS, true peak under -1 dBTP."""
    n = int(round(total_s * RATE))
    out = np.zeros((n, 2), dtype=np.float32)
    if music is not None:
        out += music_bed(music, total_s, placements)
    if placements:
        out += voice_track(placements, total_s)[:, None]
    raw = work / "mix-raw.wav"
    _write_float_wav(out, raw)
    return MixFacts(placements, loudness.normalize(raw, out_path, sample_rate=RATE))


def _write_float_wav(samples: np.ndarray, path: Path) -> None:
    """32-bit float WAV: no clipping before the normaliser has seen the peaks."""
    data = samples.astype("<f4").tobytes()
    channels = samples.shape[1]
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE"
    fmt = struct.pack("<HHIIHH", 3, channels, RATE, RATE * channels * 4, channels * 4, 32)
    header += b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data))
    path.write_bytes(header + data)
