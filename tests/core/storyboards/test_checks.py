"""A storyboard's departures from its brief, as a creative reads them."""

from core.storyboards.checks import against_brief
from tests.utils.factories import make_scene

BRIEF = {"duration_s": 10, "mandatories": ["Logo end card for 2 s.", "No alcohol cues."]}


def test_a_storyboard_that_honours_the_brief_has_nothing_to_say():
    scenes = [
        make_scene("Hook", 8, "No alcohol cues."),
        make_scene("End card", 2, "Logo end card for 2 s."),
    ]
    assert against_brief(BRIEF, scenes) == []


def test_length_end_card_and_each_missing_mandatory_are_named():
    scenes = [make_scene("Hook", 6), make_scene("Product", 6, "no  ALCOHOL cues.")]  # case, spaces
    assert against_brief(BRIEF, scenes) == [
        "The scenes add up to 12 s; the brief asks for 10 s.",
        "The brief asks for a logo end card; the last scene is not one.",
        "No scene's notes carry the brief's mandatory: “Logo end card for 2 s.”",
    ]


def test_a_brief_without_length_or_mandatories_asks_for_nothing():
    assert against_brief({}, [make_scene("Hook", 7)]) == []
    assert against_brief({"mandatories": ["Logo at the end."]}, []) == [
        "The brief asks for a logo end card; the last scene is not one.",
        "No scene's notes carry the brief's mandatory: “Logo at the end.”",
    ]


def test_an_end_card_shorter_than_the_brief_asks_is_named():
    scenes = [
        make_scene("Hook", 9, "No alcohol cues."),
        make_scene("End card", 1, "Logo end card for 2 s."),
    ]
    assert against_brief(BRIEF, scenes) == [
        "The end card lasts 1 s; the brief asks for at least 2 s."
    ]
