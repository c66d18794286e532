"""Draft voice: speech made here with nothing downloaded, as WAV, knowing when it says each word;
its voice, speed and pitch change what is heard."""

import wave

import numpy as np
import pytest

from core.media.draft.voice import VOICES, VoiceError, render_voice, synthesize
from core.media.ffmpeg import probe
from core.media.speech import read_words
from tests.core.media.measure import envelope, level_between, sound

LINE = "Fresh coffee, roasted this morning. Order yours at brewco.com today!"


def _render(tmp_path, text=LINE, **params):
    out = tmp_path / "voice.wav"
    render_voice(text=text, out_path=out, metadata={"prompt": text, "model": "local/draft-voice"},
                 **params)  # fmt: skip
    return out


def _pitch_hz(samples: np.ndarray, rate: int) -> float:
    """The median fundamental of the voiced 40 ms windows, by autocorrelation (60-400 Hz)."""
    n, found = int(0.04 * rate), []
    for start in range(0, len(samples) - n, n):
        w = samples[start : start + n].astype(np.float64)
        if np.sqrt(np.mean(w**2)) < 0.05:
            continue
        ac = np.correlate(w, w, "full")[n - 1 :]
        lo, hi = int(rate / 400), int(rate / 60)
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            found.append(rate / lag)
    return float(np.median(found))


def test_a_line_is_a_16_bit_mono_wav_as_long_as_the_speech(tmp_path):
    out = _render(tmp_path)
    with wave.open(str(out)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        seconds = w.getnframes() / w.getframerate()
    assert seconds == pytest.approx(read_words(out)[-1].end_s, abs=0.3)  # no long tail
    assert probe(out).tags.get("title") == LINE
    plain = "Spring is here, and the new collection is ready for you to try on."
    rate = len(plain.split()) / synthesize(plain).duration_s
    assert 2.2 < rate < 3.4  # words a second: a normal speaking rate


def test_every_word_is_heard_where_the_engine_says_it_is(tmp_path):
    out = _render(tmp_path)
    words = read_words(out)
    assert [w.text for w in words] == LINE.split()
    assert all(a.end_s <= b.start_s + 1e-3 for a, b in zip(words, words[1:], strict=False))
    samples = sound(out)
    for w in words:
        assert level_between(samples, w.start_s, w.end_s) > -35, w  # speech, not silence
    # The pause after "morning." is heard as a pause.
    morning, order = words[4], words[5]
    assert order.start_s - morning.end_s > 0.1
    assert level_between(samples, morning.end_s + 0.02, order.start_s - 0.02) < -45


def test_speed_changes_the_length_and_pitch_the_voice(tmp_path):
    normal = synthesize(LINE)
    fast = synthesize(LINE, speed=2.0)
    assert fast.duration_s == pytest.approx(normal.duration_s / 2, rel=0.25)
    low = _pitch_hz(synthesize(LINE, pitch=-6).samples / 32768, 22050)
    high = _pitch_hz(synthesize(LINE, pitch=6).samples / 32768, 22050)
    assert high / low == pytest.approx(2.0, rel=0.3)  # an octave apart, give or take


def test_the_voices_sound_different(tmp_path):
    pitches = {v: _pitch_hz(synthesize("Spring is here.", voice=v).samples / 32768, 22050)
               for v in VOICES}  # fmt: skip
    assert pitches["us_female"] > 1.3 * pitches["us_male"]
    assert pitches["uk_female"] > 1.3 * pitches["uk_male"]


def test_the_same_line_gives_the_same_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _render(tmp_path / "a").read_bytes() == _render(tmp_path / "b").read_bytes()


def test_a_dash_or_a_symbol_it_does_not_say_keeps_the_word_before(tmp_path):
    speech = synthesize("Big news — 50% off & free returns")
    assert [w.text for w in speech.words][:2] == ["Big", "news —"]
    assert " ".join(w.text for w in speech.words) == "Big news — 50% off & free returns"


def test_nothing_to_say_or_an_unknown_voice_is_refused(tmp_path):
    with pytest.raises(VoiceError, match="no text"):
        _render(tmp_path, text="   ")
    with pytest.raises(VoiceError, match="us_female"):
        synthesize("Hello", voice="robot")
    assert not (tmp_path / "voice.wav").exists()


def test_silence_before_and_after_is_short(tmp_path):
    levels = envelope(sound(_render(tmp_path)))
    loud = np.flatnonzero(levels > -40)
    assert loud[0] * 0.05 < 0.15 and (len(levels) - loud[-1]) * 0.05 < 0.4
