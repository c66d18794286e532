"""The ad's sound: each line in its scene and never cut, the music dipping under the speech, the
whole at the loudness online video is played at."""

import wave

import numpy as np
import pytest

from core.media.mix import LEAD_S, VoiceDoesNotFit, VoiceLine, mix, place_lines
from tests.core.media.measure import loudness, sound

RATE = 24000


def _buzz(path, words: int, lead_s: float = 0.2, tail_s: float = 0.3):
    """A stand-in voice: one 140 Hz buzz (harmonics up to 420 Hz) per word, 0.3 s each with
    0.1 s between, after `lead_s` of silence and before `tail_s` more."""
    t = np.arange(int(RATE * (lead_s + words * 0.4 + tail_s))) / RATE
    buzz = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in (1, 2, 3))
    on = (t >= lead_s) & ((t - lead_s) % 0.4 < 0.3) & (t < lead_s + words * 0.4)
    pcm = (buzz * on * 9000).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return path


def _tone(path, seconds: float, hz: float = 3000.0):
    """A stand-in music bed: a steady tone far above the buzz's harmonics."""
    t = np.arange(int(RATE * seconds)) / RATE
    pcm = np.repeat((np.sin(2 * np.pi * hz * t) * 12000).astype("<i2")[:, None], 2, axis=1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return path


def _line(tmp_path, scene: int, words: int, name: str | None = None) -> VoiceLine:
    path = _buzz(tmp_path / f"{name or scene}.wav", words)
    return VoiceLine(scene, path, " ".join(["word"] * words))


def test_a_line_starts_just_after_its_scenes_cut(tmp_path):
    (first, second) = place_lines([_line(tmp_path, 0, 3), _line(tmp_path, 2, 3)], [4, 4, 4])
    # Its file's leading silence is left out: the speech itself starts on time.
    assert first.at_s + (0.2 - first.clip_start_s) == pytest.approx(LEAD_S, abs=0.03)
    assert second.at_s + (0.2 - second.clip_start_s) == pytest.approx(8 + LEAD_S, abs=0.03)
    assert [w.text for w in second.words] == ["word"] * 3
    assert second.words[0].start_s == pytest.approx(8 + LEAD_S, abs=0.05)
    assert first.spill_s == second.spill_s == 0


def test_a_long_line_gives_up_its_lead_then_runs_on_pushing_the_next(tmp_path):
    long_one = _line(tmp_path, 0, 12)  # 4.8 s of speech in a 4 s scene
    (first, second) = place_lines([long_one, _line(tmp_path, 1, 2)], [4, 4, 4])
    assert first.at_s == 0  # from the cut itself
    assert first.spill_s > 0.5  # and still on into scene 2: never cut off at the cut
    assert second.at_s >= first.end_s + 0.25  # the next line waits for it


def test_a_line_that_would_outlast_the_ad_is_refused_naming_its_scene(tmp_path):
    with pytest.raises(VoiceDoesNotFit, match=r"Scene 2's voice line runs \d\.\d s past"):
        place_lines([_line(tmp_path, 0, 2), _line(tmp_path, 1, 14)], [3, 3])


def _tone_level(samples: np.ndarray, rate: int, a: float, b: float, hz: float = 3000.0) -> float:
    """Level of the music's tone alone between a and b seconds (dB, relative)."""
    part = samples[int(a * rate) : int(b * rate)].astype(np.float64)
    window = np.hanning(len(part))
    spectrum = np.abs(np.fft.rfft(part * window)) / window.sum()  # per unit of time
    freqs = np.fft.rfftfreq(len(part), 1 / rate)
    band = (freqs > hz - 30) & (freqs < hz + 30)
    return float(20 * np.log10(spectrum[band].max() + 1e-9))


def test_the_music_dips_under_speech_and_the_mix_is_at_online_loudness(tmp_path):
    lines = [_line(tmp_path, 1, 5)]
    placements = place_lines(lines, [4, 4, 4])
    out = tmp_path / "mix.wav"
    facts = mix(total_s=12, placements=placements, music=_tone(tmp_path / "m.wav", 14),
                out_path=out, work=tmp_path)  # fmt: skip
    samples = sound(out, rate=16000)
    assert len(samples) == pytest.approx(12 * 16000, abs=200)  # the ad's length exactly
    p = placements[0]
    during = _tone_level(samples, 16000, p.at_s + 0.4, p.end_s - 0.2)
    before = _tone_level(samples, 16000, 0.5, p.at_s - 0.6)
    assert before - during >= 9  # dipped by about 12 dB under the speech
    after = _tone_level(samples, 16000, p.end_s + 1.0, 9.5)
    assert abs(after - before) < 1.5  # and back up once it has been said
    measured = loudness(out)
    assert measured["lufs"] == pytest.approx(-14, abs=1.0)
    assert measured["true_peak"] <= -1.0
    assert facts.loudness.integrated_lufs == pytest.approx(measured["lufs"], abs=0.5)


def test_music_alone_is_normalised_too(tmp_path):
    out = tmp_path / "mix.wav"
    mix(total_s=6, placements=[], music=_tone(tmp_path / "m.wav", 3), out_path=out, work=tmp_path)
    samples = sound(out, rate=16000)
    assert len(samples) == pytest.approx(6 * 16000, abs=200)  # padded to the ad's length
    assert np.abs(samples[int(4 * 16000) :]).max() < 1e-3  # silence after the music ends
