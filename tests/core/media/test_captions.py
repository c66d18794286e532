"""Captions follow the speech phrase by phrase, never overlap, read in the brand's colour on a box
that keeps them legible, and come as WebVTT and SubRip files."""

import re

import pytest

from core.media.captions import (
    Cue,
    caption_style,
    contrast,
    cues_for,
    safe_zone,
    srt_text,
    vtt_text,
)
from core.media.speech import Word, spread_words


def _said(text: str, start: float, seconds_per_word: float = 0.4) -> list[Word]:
    return [Word(w, round(start + i * seconds_per_word, 3), round(start + (i + 0.8) *
                 seconds_per_word, 3)) for i, w in enumerate(text.split())]  # fmt: skip


def test_a_caption_shows_from_its_first_word_until_just_after_its_last():
    (cue,) = cues_for([_said("Spring is here.", 2.0)], 1280, 720)
    assert cue.text == "Spring is here."
    assert cue.start_s == 2.0
    assert 2.0 + 0.4 * 2.8 <= cue.end_s <= 2.0 + 0.4 * 2.8 + 0.5  # a short hold, no more


def test_a_long_line_is_cut_into_phrases_at_its_pauses_that_never_overlap():
    line = ("Light layers for long afternoons, made to move with you wherever the city takes "
            "you. Soft cotton, bright colours and pockets for everything you carry.")  # fmt: skip
    cues = cues_for([_said(line, 5.0)], 1280, 720)
    assert " ".join(c.text for c in cues) == line
    assert len(cues) >= 3
    assert cues[0].text.endswith("afternoons,")  # broken at the comma
    assert any(c.text.endswith("takes you.") for c in cues)  # and at the full stop
    for a, b in zip(cues, cues[1:], strict=False):
        assert a.end_s <= b.start_s  # one caption at a time
    for cue in cues:
        assert max(len(line) for line in cue.text.split("\n")) <= 2 * 38


def test_a_line_said_at_the_very_end_is_not_captioned_past_the_end_of_the_ad():
    (cue,) = cues_for([_said("Shop today.", 5.0)], 1280, 720, ad_end_s=5.8)
    assert cue.end_s == 5.8  # the file would otherwise last longer than its film


def test_two_lines_get_captions_in_time_order():
    cues = cues_for([_said("Shop today.", 12.0), _said("Spring is here.", 1.0)], 720, 1280)
    assert [c.text for c in cues] == ["Spring is here.", "Shop today."]


def test_words_spread_over_measured_speech_take_time_by_length_and_pause_at_punctuation():
    words = spread_words("Hi, extraordinary offers.", 1.0, 3.0)
    assert words[0].start_s == 1.0 and words[-1].end_s == pytest.approx(3.0, abs=0.01)
    assert (words[1].end_s - words[1].start_s) > 3 * (words[0].end_s - words[0].start_s)
    assert words[1].start_s - words[0].end_s > 0.05  # the comma's pause


def test_vtt_and_srt_carry_each_caption_with_its_times():
    cues = [Cue(0.3, 1.74, "Spring is here."), Cue(61.25, 63.0, "Shop at brewco.com.")]
    vtt = vtt_text(cues)
    assert vtt.startswith("WEBVTT\n\n")
    assert "00:00:00.300 --> 00:00:01.740\nSpring is here." in vtt
    assert "00:01:01.250 --> 00:01:03.000\nShop at brewco.com." in vtt
    srt = srt_text(cues)
    assert srt.startswith("1\n00:00:00,300 --> 00:00:01,740\nSpring is here.\n\n2\n")
    assert re.search(r"00:01:01,250 --> 00:01:03,000\nShop at brewco.com.\n$", srt)


@pytest.mark.parametrize(
    ("size", "bottom_clear", "right_clear"),
    [((1280, 720), 0.10, 0.08), ((720, 1280), 0.20, 0.16), ((720, 720), 0.12, 0.10)],
)
def test_the_safe_zone_keeps_clear_of_each_shapes_platform_interface(size, bottom_clear,
                                                                     right_clear):  # fmt: skip
    w, h = size
    zone = safe_zone(w, h)
    assert h - zone.bottom == round(h * bottom_clear)
    assert w - zone.right == round(w * right_clear)
    assert 0 < zone.left < zone.right < w and 0 < zone.top < zone.bottom < h


def test_the_brands_colour_is_used_where_it_can_be_read_and_never_where_it_cannot():
    yellow = caption_style(["#FFCC00"])
    assert yellow.text == (255, 204, 0) and yellow.box[:3] == (16, 16, 16)
    navy = caption_style(["#1B2A4A"])  # dark: on a light box
    assert navy.text == (27, 42, 74) and navy.box[:3] == (250, 250, 250)
    # A mid grey reads on neither box over every picture: white on dark instead.
    grey = caption_style(["#808080"])
    assert grey.text == (255, 255, 255)
    # An explicit font colour wins over the palette.
    assert caption_style(["#FFCC00"], text_colour="#FFFFFF").text == (255, 255, 255)
    for style in (yellow, navy, grey):
        alpha = style.box[3] / 255
        for background in (0, 255):  # the box over the darkest and the lightest picture
            seen = [c * alpha + background * (1 - alpha) for c in style.box[:3]]
            assert contrast(style.text, seen) >= 4.5 or (
                style.box[:3] == (16, 16, 16) and background == 0
            )
