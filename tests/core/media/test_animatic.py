"""The animatic's one pass: stills held for their scenes' lengths (every frame there), a cut or
a crossfade between them, the end card over the last scene only, the sound muxed in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.media.animatic import Shot, render_animatic
from core.media.draft.music import render_music
from core.media.draft.voice import render_voice
from core.media.ffmpeg import count_frames, probe
from core.media.mix import VoiceDoesNotFit, VoiceLine
from core.media.thumbs import extract_frame

RED, BLUE, ACCENT = (220, 30, 30), (30, 30, 220), "#20C020"
W, H, FPS = 320, 180, 12


def _still(path: Path, colour) -> Path:
    Image.new("RGB", (640, 360), colour).save(path)
    return path


def _shots(tmp_path: Path, lengths=(1.5, 1.0)) -> list[Shot]:
    colours = [RED, BLUE]
    return [Shot(_still(tmp_path / f"{i}.png", colours[i % 2]), s) for i, s in enumerate(lengths)]


def _at(video: Path, seconds: float, tmp_path: Path) -> np.ndarray:
    out = tmp_path / f"at-{seconds}.png"
    extract_frame(video, out, at_s=seconds)
    with Image.open(out) as img:
        return np.asarray(img.convert("RGB"), dtype=float)


def _near(pixels: np.ndarray, colour, within: float = 20) -> bool:
    return bool(np.abs(pixels.reshape(-1, 3).mean(axis=0) - colour).max() < within)


@pytest.mark.parametrize("transition", ["cut", "crossfade"])
def test_it_lasts_the_sum_of_its_scenes_frame_for_frame_with_its_sound(tmp_path, transition):
    music = tmp_path / "music.wav"
    render_music(prompt="calm", duration_s=3, seed=1, fmt="wav", out_path=music, metadata={})
    out = tmp_path / "animatic.mp4"
    made = render_animatic(shots=_shots(tmp_path, (1.5, 1.0, 0.5)), out_path=out, width=W,
                           height=H, fps=FPS, transition=transition, music=music,
                           poster_path=tmp_path / "poster.ppm")  # fmt: skip
    info = probe(out)
    assert (info.video_codec, info.pix_fmt, info.width, info.height) == ("h264", "yuv420p", W, H)
    assert info.duration_s == pytest.approx(3.0, abs=0.1) and made.duration_s == 3.0
    assert count_frames(out) == 3 * FPS
    assert info.audio_codec == "aac"
    with Image.open(tmp_path / "poster.ppm") as poster:
        assert poster.size == (W, H)


def test_a_cut_changes_picture_at_once_and_a_crossfade_blends_into_the_next(tmp_path):
    cut, fade = tmp_path / "cut.mp4", tmp_path / "fade.mp4"
    for out, transition in ((cut, "cut"), (fade, "crossfade")):
        render_animatic(shots=_shots(tmp_path), out_path=out, width=W, height=H, fps=FPS,
                        transition=transition)  # fmt: skip
    assert _near(_at(cut, 0.75, tmp_path), RED) and _near(_at(cut, 1.8, tmp_path), BLUE)
    just_after = 1.5 + 0.2  # inside the half-second fade
    assert _near(_at(cut, just_after, tmp_path), BLUE)
    blended = _at(fade, just_after, tmp_path).reshape(-1, 3).mean(axis=0)
    assert blended[0] > 60 and blended[2] > 60  # red and blue at once
    assert _near(_at(fade, 2.4, tmp_path), BLUE)
    assert not probe(fade).audio_codec  # no music, no voice: no sound track


def test_the_end_card_is_over_the_last_scene_only(tmp_path):
    out = tmp_path / "carded.mp4"
    render_animatic(shots=_shots(tmp_path), out_path=out, width=W, height=H, fps=FPS,
                    call_to_action="Find it in the chiller", accent=ACCENT)  # fmt: skip
    first, last = _at(out, 0.7, tmp_path), _at(out, 2.2, tmp_path)
    assert _near(first, RED)  # nothing over the first scene
    assert _near(last[: H // 3], BLUE)  # the top of the last scene is the still
    band_rows = last[H // 2 :].reshape(-1, 3).mean(axis=0)
    assert band_rows[1] > 80  # the green band of the card, over blue


def test_a_voice_line_that_would_outlast_the_film_is_refused_before_anything_is_written(
    tmp_path,
):
    line = tmp_path / "line.wav"
    text = "This line is far too long to be said in the second and a half this film lasts."
    render_voice(text=text, out_path=line, metadata={})
    out = tmp_path / "animatic.mp4"
    with pytest.raises(VoiceDoesNotFit):
        render_animatic(shots=_shots(tmp_path), out_path=out, width=W, height=H, fps=FPS,
                        voices=[VoiceLine(1, line, text)])  # fmt: skip
    assert not out.exists()
