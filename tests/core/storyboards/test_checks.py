"""A storyboard against its brief, as a creative reads it: where each mandatory is, and each
departure (length, end card, a mandatory gone or out of its place); and each voice line too long
to be said in its scene."""

from core.models import Scene
from core.storyboards.checks import against_brief, voice_lines_too_long, where_mandatories_are
from core.storyboards.plan import plan_scenes
from tests.utils.factories import SPRING_FIELDS, make_scene

BRIEF = {"duration_s": 10, "mandatories": ["Logo end card for 2 s.", "No alcohol cues."]}


def test_a_storyboard_that_honours_the_brief_has_nothing_to_say():
    scenes = [
        make_scene("Hook", 8, "No alcohol cues."),
        make_scene("End card", 2, "Logo end card for 2 s."),
    ]
    assert against_brief(BRIEF, scenes) == []


def test_a_planned_storyboard_honours_its_brief_and_says_where_each_mandatory_is():
    fields = {**SPRING_FIELDS, "mandatories": [
        *SPRING_FIELDS["mandatories"], "Show the bottle, label facing camera.", "No alcohol cues.",
    ]}  # fmt: skip
    scenes = plan_scenes(fields)
    assert against_brief(fields, scenes) == []
    assert where_mandatories_are(fields, scenes) == [
        "“Show the can with the new yuzu label in the final shot” is in scene 6, End card.",
        "“Logo end card for at least 2 seconds” is in scene 6, End card.",
        "“Show the bottle, label facing camera” is in scene 5, Product.",
        "“No alcohol cues” is in every scene.",
    ]


def test_a_mandatory_in_some_scenes_lists_them_and_one_in_none_is_left_to_the_warnings():
    fields = {"mandatories": ["No alcohol cues.", "Terms apply."]}
    scenes = [make_scene("Hook", 5, "No alcohol cues."), make_scene("Product", 5),
              make_scene("End card", 3, "No alcohol cues.")]  # fmt: skip
    assert where_mandatories_are(fields, scenes) == ["“No alcohol cues” is in scenes 1 and 3."]
    assert against_brief(fields, scenes) == [
        "No scene's notes carry the brief's mandatory: “Terms apply”"
    ]


def test_length_end_card_and_each_missing_mandatory_are_named():
    scenes = [make_scene("Hook", 6), make_scene("Product", 6, "no  ALCOHOL cues.")]  # case, spaces
    assert against_brief(BRIEF, scenes) == [
        "The scenes add up to 12 s; the brief asks for 10 s.",
        "The brief asks for a logo end card; the last scene is not one.",
        "No scene's notes carry the brief's mandatory: “Logo end card for 2 s”",
    ]


def test_a_mandatory_moved_out_of_the_scene_it_names_is_flagged():
    fields = {"mandatories": ["Show the can in the final shot.", "Open on a splash."]}
    scenes = [
        make_scene("Hook", 5),
        make_scene("Product", 5, "Show the can in the final shot. Open on a splash."),
        make_scene("End card", 3),
    ]
    assert against_brief(fields, scenes) == [
        "“Show the can in the final shot” belongs in the last scene; it is in scene 2, Product.",
        "“Open on a splash” belongs in the first scene; it is in scene 2, Product.",
    ]


def test_a_brief_without_length_or_mandatories_asks_for_nothing():
    assert against_brief({}, [make_scene("Hook", 7)]) == []
    assert where_mandatories_are({}, [make_scene("Hook", 7)]) == []
    assert against_brief({"mandatories": ["Logo at the end."]}, []) == [
        "The brief asks for a logo end card; the last scene is not one.",
        "No scene's notes carry the brief's mandatory: “Logo at the end”",
    ]


def test_an_end_card_shorter_than_the_brief_asks_is_named():
    scenes = [
        make_scene("Hook", 9, "No alcohol cues."),
        make_scene("End card", 1, "Logo end card for 2 s."),
    ]
    assert against_brief(BRIEF, scenes) == [
        "The end card lasts 1 s; the brief asks for at least 2 s."
    ]


def test_a_voice_line_too_long_for_its_scene_is_named_with_the_time_it_needs():
    scenes = [
        Scene(title="Hook", duration_s=4, voice_line="Zero sugar, real fruit flavour."),
        Scene(title="Taste", duration_s=4, voice_line=(
            "Zero sugar and real fruit flavour in every can, all spring long."
        )),  # 12 words: 4.8 s at 2.5 words a second
        Scene(title="End card", duration_s=3, voice_line=""),
    ]  # fmt: skip
    assert voice_lines_too_long(scenes) == [
        "Scene 2's voice line needs about 4.8 s at a normal speaking rate; the scene lasts 4 s."
    ]
    assert voice_lines_too_long(plan_scenes(SPRING_FIELDS)) == []  # drafted lines fit
