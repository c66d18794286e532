"""The final ad with voice lines: heard where the lines are and silent between them, never cut at a
scene's end, at online loudness; captions on screen while a line is said and gone between lines,
inside each shape's safe zone and clear of the end card; the captions as .vtt and .srt."""

import subprocess

import numpy as np
import pytest

from core.media import captions
from core.media.compose import Clip, compose
from core.media.draft.music import render_music
from core.media.draft.voice import render_voice
from core.media.ffmpeg import ffmpeg_exe, probe
from core.media.mix import VoiceDoesNotFit, VoiceLine
from tests.core.media.measure import (
    dark_bands,
    dark_box,
    frame,
    level_between,
    loudness,
    solid_clip,
    sound,
)

LIGHT = "0xF0E6D2"  # a pale picture: the caption box is the only dark thing on it
YELLOW = "#FFCC00"


def _ad(tmp_path, size, lines: dict[int, str], *, scenes=4, scene_s=3.0, captions_on=True,
        music=False, cta="", transition="cut"):  # fmt: skip
    w, h = size
    clips = [Clip(solid_clip(tmp_path / f"clip{i}.mp4", w, h, scene_s, LIGHT), scene_s)
             for i in range(scenes)]  # fmt: skip
    voices = []
    for scene, text in lines.items():
        path = tmp_path / f"line{scene}.wav"
        render_voice(text=text, out_path=path, metadata={})
        voices.append(VoiceLine(scene, path, text))
    bed = None
    if music:
        bed = tmp_path / "music.wav"
        render_music(prompt="upbeat 120 BPM", duration_s=scenes * scene_s, seed=3, fmt="wav",
                     out_path=bed, metadata={})  # fmt: skip
    out = tmp_path / "ad.mp4"
    result = compose(clips=clips, out_path=out, width=w, height=h, voices=voices,
                     captions=captions_on, palette=[YELLOW], music=bed, call_to_action=cta,
                     transition=transition)  # fmt: skip
    return out, result


def test_speech_is_heard_where_the_lines_are_and_not_between_them(tmp_path):
    lines = {0: "Spring is here.", 2: "Light layers, made to move."}
    out, result = _ad(tmp_path, (640, 360), lines, captions_on=False)
    samples = sound(out)
    assert len(samples) / 16000 == pytest.approx(12.0, abs=0.05)
    first, second = result.placements
    for p in (first, second):
        for word in p.words:
            assert level_between(samples, word.start_s, word.end_s) > -35, word
    assert first.words[0].start_s < 0.5 and 6.0 < second.words[0].start_s < 6.5
    # Between the lines and after the last one: no voice at all.
    assert level_between(samples, first.end_s + 0.1, 6.0) < -60
    assert level_between(samples, second.end_s + 0.1, 12.0) < -60


def test_a_line_longer_than_its_scene_is_said_to_its_last_word(tmp_path):
    long_line = "Light layers for long afternoons, made to move with you all day."
    out, result = _ad(tmp_path, (640, 360), {0: long_line, 2: "Shop now."}, captions_on=False)
    (first, second) = result.placements
    assert first.end_s > 3.0  # it runs past the cut into scene 2...
    samples = sound(out)
    last = first.words[-1]
    assert last.text == "day." and last.start_s > 3.0
    assert level_between(samples, last.start_s, last.end_s) > -35  # ...and is heard to its end
    assert second.words[0].start_s >= 6.0


def test_the_ad_plays_at_online_loudness_with_music_under_the_voice(tmp_path):
    out, _ = _ad(tmp_path, (640, 360), {1: "Spring is here.", 3: "Shop the collection today."},
                 music=True, captions_on=False)  # fmt: skip
    measured = loudness(out)
    assert measured["lufs"] == pytest.approx(-14.0, abs=1.0)
    assert measured["true_peak"] <= -1.0


@pytest.mark.parametrize(
    ("size", "transition"),
    [((854, 480), "crossfade"), ((480, 854), "cut"), ((480, 480), "cut")],
    ids=["16:9", "9:16", "1:1"],
)
def test_captions_show_while_a_line_is_said_inside_the_safe_zone(tmp_path, size, transition):
    w, h = size
    out, result = _ad(tmp_path, size, {1: "Spring is here, in every colour."}, scenes=3,
                      scene_s=2.5, transition=transition)  # fmt: skip
    (placed,) = result.placements
    assert result.route == ("encode" if transition == "crossfade" else "copy")
    zone = captions.safe_zone(w, h)
    middle = (placed.words[0].start_s + placed.words[1].end_s) / 2
    shown = frame(out, middle, w, h)
    box = dark_box(shown)
    assert box is not None, "no caption while the line is said"
    left, top, right, bottom = box
    assert zone.left <= left and right <= zone.right and zone.top <= top and bottom <= zone.bottom
    yellow = (shown[..., 0] > 200) & (shown[..., 1] > 150) & (shown[..., 2] < 90)
    assert yellow[top:bottom, left:right].sum() > 50  # the words, in the brand's colour
    # Before the line and after its caption: nothing drawn.
    assert dark_box(frame(out, 0.8, w, h)) is None
    assert dark_box(frame(out, result.cues[-1].end_s + 0.3, w, h)) is None


def test_a_caption_over_the_last_scene_sits_above_the_end_card(tmp_path):
    w, h = 854, 480
    out, result = _ad(tmp_path, (w, h), {2: "Shop the spring collection today."}, scenes=3,
                      scene_s=3.0, cta="Shop spring at brewco.com")  # fmt: skip
    at = result.placements[0].words[1].start_s
    bands = dark_bands(frame(out, at, w, h))
    assert len(bands) == 2, bands  # the caption, then the end card's band below it
    (cap_top, cap_bottom), (card_top, _) = bands
    assert cap_bottom < card_top  # never over the call to action
    assert cap_top >= captions.safe_zone(w, h).top


def test_the_captions_come_with_the_ad_as_vtt_and_srt(tmp_path):
    out, result = _ad(tmp_path, (640, 360), {0: "Spring is here.", 2: "Shop now."})
    vtt = captions.sidecar(out, "vtt")
    assert vtt.startswith("WEBVTT")
    assert "Spring is here." in vtt and "Shop now." in vtt
    first = result.cues[0]
    stamp = f"00:00.{int(round(first.start_s * 1000)):03d}"
    assert stamp in vtt or f"00:00:00.{int(round(first.start_s * 1000)):03d}" in vtt
    srt = captions.sidecar(out, "srt")
    assert srt.startswith("1\n") and "Shop now." in srt
    # Burned in already: the subtitle track must not be shown again by default.
    described = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(out)],
                               capture_output=True, text=True).stderr  # fmt: skip
    (subtitle,) = [x for x in described.splitlines() if "Subtitle: mov_text" in x]
    assert "(default)" not in subtitle


@pytest.mark.parametrize(
    ("size", "transition"),
    [((640, 360), "cut"), ((640, 360), "crossfade"), ((360, 640), "cut")],
    ids=["joined", "crossfaded", "portrait"],
)
def test_a_captioned_ad_lasts_exactly_its_scenes(tmp_path, size, transition):
    """A caption on the last scene, held to the very end: the ad still ends with its scenes."""
    out, _ = _ad(tmp_path, size, {1: "Shop the spring collection."}, scenes=2, scene_s=2.0,
                 transition=transition, cta="Shop now")  # fmt: skip
    assert probe(out).duration_s == pytest.approx(4.0, abs=0.01)


def test_a_line_that_cannot_end_before_the_ad_does_fails_before_any_encoding(tmp_path):
    with pytest.raises(VoiceDoesNotFit, match="Scene 2"):
        _ad(tmp_path, (640, 360), {1: "This line is far too long to be said in the time left "
                                       "before the very end of this short advertisement."},
            scenes=2, scene_s=2.0)  # fmt: skip
    assert not (tmp_path / "ad.mp4").exists()
    assert np.all([not p.name.startswith(".compose-") for p in tmp_path.iterdir()])


def test_a_render_speaks_its_scenes_lines_made_by_the_draft_voice(tmp_path, session, people,
                                                                  campaign):  # fmt: skip
    """Through the worker: each scene's line made by the draft voice, then the final ad made from
    the clips and those lines (`voices`, one per scene or None), captioned by default."""
    from core.media import store
    from tests.integration.driving import drive
    from tests.utils.factories import add_generation_rows, generation_row

    clips = []
    for i in range(3):
        stored = store.store_file(solid_clip(tmp_path / f"c{i}.mp4", 640, 360, 3.0, LIGHT), "mp4")
        clips.append(generation_row(campaign, people["creative"], "video", media_path=stored.path,
                                    media_sha256=stored.sha256, media_mime=stored.mime,
                                    duration_s=3.0, width=640, height=360,
                                    params={"duration": 3}))  # fmt: skip
    lines = {0: "Spring is here.", 2: "Shop the collection today."}
    voices = [generation_row(campaign, people["creative"], "voice", "local/draft-voice",
                             status="queued", prompt=text, effective_prompt=text,
                             params={"voice": "uk_male", "speed": 1.0, "pitch": 0})
              for text in lines.values()]  # fmt: skip
    add_generation_rows(session, clips + voices)
    made = drive(*(v.id for v in voices))
    assert [v.status for v in made] == ["succeeded", "succeeded"], [v.error for v in made]
    assert all(v.media_mime == "audio/wav" and v.thumb_path for v in made)
    by_scene = [made[0].id, None, made[1].id]
    (final,) = add_generation_rows(session, [generation_row(
        campaign, people["creative"], "composite", "local/compose", status="queued",
        prompt="Final ad", effective_prompt="Final ad",
        params={"transition": "cut", "aspect_ratio": "16:9", "resolution": "360p", "fps": 24,
                "clips": [c.id for c in clips], "durations": [3.0, 3.0, 3.0],
                "voices": by_scene},
    )])  # fmt: skip
    (done,) = drive(final.id)
    assert done.status == "succeeded", done.error
    ad = store.abs_path(done.media_path)
    vtt = captions.sidecar(ad, "vtt")
    assert "Spring is here." in vtt and "Shop the collection today." in vtt
    samples = sound(ad)
    assert level_between(samples, 3.2, 5.8) < -60  # scene 2 has no line
    assert level_between(samples, 6.3, 7.5) > -35  # scene 3's line
    assert dark_box(frame(ad, 6.8, 640, 360)) is not None  # captioned: on by default
