"""Voice-over in a storyboard as its team meets it: lines drafted from the brief and edited like
the rest of a scene (a changed line is reviewed again), a warning when one no longer fits, the
storyboard's voice and its settings, heard in one click; and the final ad that says the lines:
heard where they are, captioned while they are said, its captions as a file to upload."""

import re

import numpy as np
import pytest

from core.errors import Conflict, NotFound, ValidationError
from core.media import captions, store
from core.models import Generation
from core.storyboards import editing as sb
from core.storyboards import final_ad, reviews, voice
from tests.core.media.measure import frame, level_between, sound
from tests.utils.factories import SHORT_FIELDS, approve_storyboard, make_storyboard

MINIMAX = "minimax/speech-02-turbo"


@pytest.fixture
def board(session, people, campaign):
    """The Spring brief in 6 s: a 3 s hook that says "Zero sugar." and a 3 s end card that says
    the call to action."""
    return make_storyboard(session, people["creative"], campaign, SHORT_FIELDS)


def _edit_line(session, people, scene, line):
    sb.update_scene(session=session, actor=people["creative"], scene_id=scene.id, voice_line=line)
    session.commit()


def _warnings(session, people, board):
    return voice.voice_warnings(session=session, actor=people["reviewer"], storyboard_id=board.id)


def test_a_line_edited_past_its_scenes_length_is_flagged(session, people, board):
    hook, end_card = sb.scenes_of(session, board.id)
    assert [hook.voice_line, end_card.voice_line] == ["Zero sugar.", "Find Lumen Yuzu-Ginger."]
    assert _warnings(session, people, board) == []
    _edit_line(session, people, hook, "Zero sugar, real fruit flavour, and nothing artificial.")
    assert _warnings(session, people, board) == [
        "Scene 1's voice line needs about 3.2 s at a normal speaking rate; the scene lasts 3 s."
    ]
    with pytest.raises(ValidationError, match="Scene 2 .*voice line: 2,001 characters"):
        _edit_line(session, people, end_card, "x" * 2001)


def test_a_split_scene_says_its_line_once(session, people, board):
    hook = sb.scenes_of(session, board.id)[0]
    sb.split_scene(session=session, actor=people["creative"], scene_id=hook.id)
    assert [s.voice_line for s in sb.scenes_of(session, board.id)] == [
        "Zero sugar.", "", "Find Lumen Yuzu-Ginger."
    ]  # fmt: skip


def test_a_changed_line_is_reviewed_again_while_the_other_scenes_keep_their_approval(
    session, people, board
):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    hook, end_card = sb.scenes_of(session, board.id)
    _edit_line(session, people, hook, "Zero sugar. Real fruit.")
    assert board.status == "draft"  # an approved ad's words changed: it needs approval again
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.refresh(hook)
    session.refresh(end_card)
    assert (hook.review_status, end_card.review_status) == ("pending", "approved")


def test_the_storyboards_voice_is_checked_and_its_settings_go_with_it(session, people, board):
    def choose(**changes):
        sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                             **changes)  # fmt: skip
        return board.voice_model, board.voice_params

    chosen = choose(
        voice_model="local/draft-voice", voice_params={"voice": "uk_male", "speed": "1.2"}
    )
    assert chosen == ("local/draft-voice", {"voice": "uk_male", "speed": 1.2})  # typed, as given
    assert choose(voice_model="local/draft-voice") == chosen  # the same voice keeps its settings
    # A Kokoro voice has its own names: the draft voice's settings do not follow it.
    assert choose(voice_model="jaaari/kokoro-82m") == ("jaaari/kokoro-82m", {})
    with pytest.raises(ValidationError, match=r"\(Kokoro 82M\): voice: 'uk_male' is not allowed"):
        choose(voice_params={"voice": "uk_male"})
    with pytest.raises(ValidationError, match="'local/draft-image' is no voice"):
        choose(voice_model="local/draft-image")
    assert choose(voice_model=sb.NO_VOICE) == ("none", {})


def _voices(plan):
    return [s for s in plan.steps if s.kind == "voice"]


def test_a_render_speaks_the_lines_in_the_storyboards_voice_unless_told_otherwise(
    session, people, board
):
    creative = people["creative"]
    sb.update_storyboard(session=session, actor=creative, storyboard_id=board.id,
                         voice_params={"voice": "uk_male"})  # fmt: skip
    approve_storyboard(session, board, creative, people["reviewer"])

    def plan(**asked):
        return final_ad.plan_render(session=session, actor=creative, storyboard_id=board.id,
                                    **asked)  # fmt: skip

    default = plan()
    lines = _voices(default)
    assert [(v.model, v.prompt, v.params["voice"]) for v in lines] == [
        ("local/draft-voice", "Zero sugar.", "uk_male"),
        ("local/draft-voice", "Find Lumen Yuzu-Ginger.", "uk_male"),
    ]
    assert all(v.effective_prompt == v.prompt for v in lines)  # no brand rules read aloud
    [final] = default.composites
    assert final.params["voices"] == [v.id for v in lines] and final.params["captions"] is True
    other = _voices(plan(voice_model="local/draft-voice", voice_params={"voice": "us_female"}))
    assert {v.params["voice"] for v in other} == {"us_female"}
    silent = plan(voice_model=sb.NO_VOICE, captions=False)
    assert _voices(silent) == [] and silent.composites[0].params["voices"] == [None, None]
    with pytest.raises(ValidationError, match="makes image, not voice"):
        plan(voice_model="local/draft-image")


def test_a_scene_without_a_line_is_silent_and_a_board_without_lines_has_no_voice(
    session, people, board
):
    hook, end_card = sb.scenes_of(session, board.id)
    _edit_line(session, people, hook, "")
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.plan_render(session=session, actor=people["creative"], storyboard_id=board.id)
    [line] = _voices(plan)
    assert plan.composites[0].params["voices"] == [None, line.id]


def test_a_paid_voice_is_in_the_quote(replicate_on, session, people, board):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    free = final_ad.plan_render(session=session, actor=people["creative"], storyboard_id=board.id)
    paid = final_ad.plan_render(session=session, actor=people["creative"],
                                storyboard_id=board.id, voice_model=MINIMAX)  # fmt: skip
    said = "Zero sugar." + "Find Lumen Yuzu-Ginger."
    assert free.total_usd == 0.0
    assert paid.total_usd == pytest.approx(0.00006 * len(said))  # MiniMax: per character
    assert final_ad.real_models(board)["voice_model"] == MINIMAX


def test_a_voice_is_heard_in_one_click_saying_the_first_line(session, people, board):
    heard = voice.preview_voice(session=session, actor=people["creative"], storyboard_id=board.id,
                                voice_params={"voice": "uk_female"})  # fmt: skip
    session.refresh(heard)
    assert (heard.kind, heard.status, heard.prompt) == ("voice", "succeeded", "Zero sugar.")
    assert heard.media_mime == "audio/wav" and heard.duration_s > 0.5
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         voice_model=sb.NO_VOICE)  # fmt: skip
    with pytest.raises(Conflict, match="no voice-over"):
        voice.preview_voice(session=session, actor=people["creative"], storyboard_id=board.id)


def _cues(vtt: str) -> list[tuple[float, float, str]]:
    found = re.findall(r"(\d+):(\d+\.\d+) --> (\d+):(\d+\.\d+)\n(.+)", vtt)
    return [(int(a) * 60 + float(b), int(c) * 60 + float(d), text) for a, b, c, d, text in found]


def _caption_rows(ad, clip, at_s: float, size: tuple[int, int]) -> tuple[int, int] | None:
    """Top and bottom of the rows where the ad's picture differs from its clip's: what the ad
    draws over the clip at that moment."""
    drawn = np.abs(frame(ad, at_s, *size).astype(int) - frame(clip, at_s, *size).astype(int))
    rows = np.flatnonzero(((drawn.max(axis=2) > 60).sum(axis=1)) > 20)
    return (int(rows[0]), int(rows[-1]) + 1) if rows.size else None


def test_the_final_ad_says_each_line_in_its_scene_captioned_and_gives_its_captions(
    session, people, board
):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.expire_all()
    final = session.get(Generation, plan.composites[0].id)
    assert final.status == "succeeded", final.error
    ad = store.abs_path(final.media_path)
    vtt = final_ad.captions_of(session=session, actor=people["viewer"], composite_id=final.id)
    (start1, end1, said1), (start2, end2, said2) = _cues(vtt)
    assert (said1, said2) == ("Zero sugar.", "Find Lumen Yuzu-Ginger.")
    assert 0 < start1 < end1 <= 3.0 and 3.0 < start2 < end2 <= 6.0  # each in its own scene
    samples = sound(ad)
    music_alone = level_between(samples, end1 + 0.2, start2 - 0.1)
    for start, end in ((start1, end1), (start2, end2)):  # the voice stands out over the music
        assert level_between(samples, start, end - captions.HOLD_S) > music_alone + 4
    # Burned in: over the first clip while its line is said, inside the safe zone; gone after.
    first_clip = store.abs_path(session.get(Generation, final.params["clips"][0]).media_path)
    size = (final.width, final.height)
    drawn = _caption_rows(ad, first_clip, (start1 + end1) / 2, size)
    zone = captions.safe_zone(*size)
    assert drawn is not None and zone.top <= drawn[0] < drawn[1] <= zone.bottom
    assert _caption_rows(ad, first_clip, end1 + 0.5, size) is None
    srt = final_ad.captions_of(session=session, actor=people["viewer"], composite_id=final.id,
                               fmt="srt")  # fmt: skip
    assert re.search(r"00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\nZero sugar\.", srt)


def test_captions_come_with_a_finished_final_ad(real_queue, session, people, board):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    [final] = plan.composites  # queued: no worker runs here
    with pytest.raises(Conflict, match="not finished"):
        final_ad.captions_of(session=session, actor=people["viewer"], composite_id=final.id)
    with pytest.raises(NotFound, match="No final ad"):
        final_ad.captions_of(session=session, actor=people["viewer"], composite_id=plan.steps[0].id)
