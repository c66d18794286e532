"""Draft music: exact length, not silent, below full scale, tempo and mood from the prompt."""

import subprocess
import wave

import numpy as np
import pytest

from core.media.draft.music import render_music, synthesize, tempo_and_mood
from core.media.ffmpeg import ffmpeg_exe, probe


def _wav(tmp_path, prompt="upbeat 120 BPM", seconds=3.0, seed=1, name="m.wav"):
    out = tmp_path / name
    render_music(
        prompt=prompt,
        duration_s=seconds,
        seed=seed,
        fmt="wav",
        out_path=out,
        metadata={"prompt": prompt, "model": "local/draft-music", "seed": str(seed)},
    )
    return out


def test_wav_is_stereo_exact_length_and_loud_but_below_full_scale(tmp_path):
    out = _wav(tmp_path, seconds=3.5)
    with wave.open(str(out)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, 32000)
        assert w.getnframes() == 3.5 * 32000
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    peak_db = 20 * np.log10(np.abs(pcm).max())
    assert -20 < peak_db < -0.5


def test_wav_carries_its_provenance(tmp_path):
    data = _wav(tmp_path).read_bytes()
    assert b"LIST" in data and b"INFO" in data and b"model=local/draft-music" in data
    assert probe(tmp_path / "m.wav").tags.get("title") == "upbeat 120 BPM"


def test_mp3_decodes_to_the_requested_length(tmp_path):
    out = tmp_path / "m.mp3"
    render_music(
        prompt="calm piano",
        duration_s=4,
        seed=1,
        fmt="mp3",
        out_path=out,
        metadata={"model": "local/draft-music"},
    )
    info = probe(out)
    assert info.audio_codec == "mp3" and abs(info.duration_s - 4) <= 0.1
    decoded = subprocess.run(
        [ffmpeg_exe(), "-i", str(out), "-f", "s16le", "-ac", "1", "-"], capture_output=True
    ).stdout
    assert abs(len(decoded) / 2 / info.sample_rate - 4) <= 0.1


@pytest.mark.parametrize(
    ("prompt", "bpm", "mode"),
    [
        ("upbeat 120 BPM summer", 120, "major"),
        ("calm piano", 76, "major"),
        ("dark moody city at night", 100, "minor"),
        ("energetic dance", 124, "major"),
        ("tense cinematic 90bpm", 90, "minor"),
    ],
)
def test_tempo_and_mood_follow_the_words(prompt, bpm, mode):
    assert tempo_and_mood(prompt) == (bpm, mode)


def _beat_period_s(prompt: str) -> float:
    mix = synthesize(prompt, 8.0, seed=1, sr=8000)[:, 0]
    env = np.abs(mix).reshape(-1, 80).max(axis=1)  # 10 ms frames
    env = np.diff(env, prepend=0).clip(0)  # onsets
    ac = np.correlate(env, env, "full")[env.size - 1 :]
    lags = np.arange(ac.size) * 0.01
    window = (lags > 0.35) & (lags < 1.5)
    return float(lags[window][np.argmax(ac[window])])


def test_the_beat_follows_the_tempo():
    # The strongest repetition is the kick, every second beat: 1.0 s at 120 BPM, 1.2 s at 100.
    fast, slow = _beat_period_s("upbeat 120 BPM"), _beat_period_s("upbeat 100 BPM")
    assert fast == pytest.approx(1.0, abs=0.03)
    assert slow == pytest.approx(1.2, abs=0.03)


def test_minor_and_major_sound_different_and_seeds_repeat():
    happy, dark = synthesize("happy", 2, 1), synthesize("dark", 2, 1)
    assert happy.shape == dark.shape and not np.allclose(happy, dark)
    assert np.array_equal(synthesize("happy", 2, 5), synthesize("happy", 2, 5))
