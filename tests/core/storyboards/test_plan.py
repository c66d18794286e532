"""Planning scenes from brief fields: as many scenes as the length calls for, each a length the
video models make, titled from the key messages, every mandatory in the scene it concerns, and a
voice-over line for each that can be said in it."""

import pytest

from core import catalog
from core.briefs.extract import extract_text
from core.briefs.parse import parse_brief
from core.storyboards.plan import fit_line, plan_scenes, scene_lengths, title_from
from tests.utils.factories import SAMPLE_BRIEFS, SPRING_FIELDS

SEEDANCE = catalog.get_model(catalog.REPLICATE_DEFAULTS["video"])


def _sample(name: str) -> dict:
    path = SAMPLE_BRIEFS / name
    return parse_brief(extract_text(path.name, path.read_bytes())).model_dump()


def _scene_of(scenes, mandatory: str) -> list[int]:
    """Numbers (from 1) of the scenes whose notes carry the mandatory."""
    return [n for n, s in enumerate(scenes, 1) if mandatory in s.shot_notes]


def _only(items: list[str], word: str) -> str:
    [found] = [i for i in items if word in i.lower()]
    return found


@pytest.mark.parametrize("name", ["spring-launch.md", "spring-launch.pdf"])
def test_the_spring_launch_brief_becomes_six_scenes_scene_by_scene(name):
    fields = _sample(name)
    scenes = plan_scenes(fields)
    assert [(s.title, s.duration_s) for s in scenes] == [
        ("Hook", 5),
        ("Zero sugar, real fruit flavour", 5),
        ("Yuzu-ginger is new and limited", 5),
        ("Lumen is the bright, easy swap", 6),
        ("Product", 6),
        ("End card", 3),
    ]
    musts = fields["mandatories"]
    assert _scene_of(scenes, _only(musts, "final shot")) == [6]  # the can, in the final shot
    assert _scene_of(scenes, _only(musts, "logo end card")) == [6]
    assert _scene_of(scenes, _only(musts, "alcohol")) == [1, 2, 3, 4, 5, 6]
    assert "the can with the new yuzu label" in scenes[-1].image_prompt
    assert fields["call_to_action"] in scenes[-1].description


@pytest.mark.parametrize("name", ["trailrunner-shoe.txt", "trailrunner-shoe.docx"])
def test_the_trail_shoe_brief_becomes_four_scenes_scene_by_scene(name):
    fields = _sample(name)
    scenes = plan_scenes(fields)
    assert [s.duration_s for s in scenes] == [5, 6, 6, 3]
    assert [s.title for s in scenes] == ["Hook", "Grip you can trust", "Product", "End card"]
    assert scenes[1].description.startswith("Grip you can trust on wet rock, mud and scree")
    musts = fields["mandatories"]
    assert _scene_of(scenes, _only(musts, "logo")) == [4]  # "Northpeak logo at the end"
    assert _scene_of(scenes, _only(musts, "outsole")) == [3]  # the close-up: the product shot
    assert _scene_of(scenes, _only(musts, "competitor")) == [1, 2, 3, 4]
    for point in fields["key_messages"][1:]:  # no time for a scene each: the product shows them
        assert point.rstrip(".") in scenes[2].description


def test_the_lengths_a_video_model_accepts_come_from_the_catalog():
    assert catalog.accepted_durations(SEEDANCE) == tuple(range(2, 13))
    assert catalog.accepted_durations(catalog.get_model("kwaivgi/kling-v2.1")) == (5, 10)
    assert catalog.accepted_durations(catalog.get_model("riffusion/riffusion")) == ()


@pytest.mark.parametrize(
    ("seconds", "lengths"),
    [
        (4, [2, 2]),
        (6, [3, 3]),
        (15, [6, 6, 3]),
        (20, [5, 6, 6, 3]),
        (30, [5, 5, 5, 6, 6, 3]),
        (60, [5] * 9 + [6, 6, 3]),
    ],
)
def test_about_one_scene_per_five_seconds_each_a_length_the_video_model_makes(seconds, lengths):
    assert scene_lengths(seconds) == lengths
    accepted = catalog.accepted_durations(SEEDANCE)
    assert all(n in accepted for n in lengths)


def test_a_spot_too_short_for_two_clips_is_one_end_card_with_the_product_and_cta():
    [scene] = plan_scenes({**SPRING_FIELDS, "duration_s": 3})
    assert (scene.title, scene.duration_s) == ("End card", 3)
    assert "beside the product" in scene.image_prompt
    assert "Find Lumen Yuzu-Ginger" in scene.description


def test_a_length_in_the_brief_sets_the_scene_count_not_the_default():
    for seconds, count in ((15, 3), (30, 6), (45, 9)):
        scenes = plan_scenes({**SPRING_FIELDS, "duration_s": seconds})
        assert (len(scenes), sum(s.duration_s for s in scenes)) == (count, seconds)
    default = plan_scenes({"key_messages": ["Fast."]})
    assert sum(s.duration_s for s in default) == 30
    assert "Call to action" in default[-1].description


def test_titles_are_drawn_from_the_messages_never_a_generic_key_message():
    titles = [s.title for s in plan_scenes(SPRING_FIELDS)]
    assert "Key message" not in titles and len(set(titles)) == len(titles)
    assert title_from("Zero sugar, real fruit flavour.") == "Zero sugar, real fruit flavour"
    assert title_from("Grip you can trust on wet rock, mud and scree.") == "Grip you can trust"
    assert title_from("Hot in a minute!") == "Hot in a minute"
    assert title_from("Grip on wet rock, mud and scree.") == "Grip on wet rock"
    assert title_from("our coffee is roasted every single morning in Leeds") == (
        "Our coffee is roasted every single morning"
    )


def test_the_audience_and_objective_inform_prompts_but_are_never_the_shot():
    fields = {**SPRING_FIELDS, "audience": "Night-shift nurses in their thirties"}
    for scene in plan_scenes(fields):
        shot = scene.image_prompt.split(". ")[0]
        assert "nurses" not in shot and "Launch" not in shot
        assert "nurses" not in scene.description and "nurses" not in scene.title
        assert "Made for night-shift nurses in their thirties" in scene.image_prompt
    hook = plan_scenes(fields)[0]
    assert "Zero sugar, real fruit flavour" in hook.image_prompt.split(". ")[0]


def test_a_long_spot_with_few_messages_gets_more_shots_not_longer_ones():
    scenes = plan_scenes({**SPRING_FIELDS, "duration_s": 60, "key_messages": ["Zero sugar."]})
    assert len(scenes) == 12 and all(s.duration_s <= 6 for s in scenes)
    assert len({s.title for s in scenes}) == 12
    assert [s.title for s in scenes[:4]] == [
        "Hook",
        "Zero sugar",
        "Zero sugar, close-up",
        "Zero sugar, another angle",
    ]


@pytest.mark.parametrize(
    ("mandatory", "title"),
    [
        ("Logo end card for at least 2 seconds.", "End card"),
        ("Legal line: terms apply.", "End card"),
        ("Visit lumen.com on screen.", "End card"),
        ("Show the can with the new yuzu label in the final shot.", "End card"),
        ("Open on the sound of a can cracking.", "Hook"),
        ("Show the bottle, label facing camera.", "Product"),
        ("Mention that there is zero sugar.", "Zero sugar, real fruit flavour"),
        ("Ginger root must be seen fresh.", "Yuzu-ginger is new and limited"),
    ],
)
def test_each_mandatory_lands_in_the_one_scene_it_concerns(mandatory, title):
    scenes = plan_scenes({**SPRING_FIELDS, "mandatories": [mandatory, "No alcohol cues."]})
    assert [s.title for s in scenes if mandatory in s.shot_notes] == [title]
    assert all("No alcohol cues." in s.shot_notes for s in scenes)


def test_a_rule_for_the_whole_spot_is_in_every_scene_like_a_prohibition():
    scenes = plan_scenes({**SPRING_FIELDS, "mandatories": ["Keep the logo visible throughout."]})
    assert _scene_of(scenes, "Keep the logo visible throughout.") == [1, 2, 3, 4, 5, 6]


def test_with_no_product_scene_a_pack_shot_lands_on_the_last_scene():
    fields = {**SPRING_FIELDS, "duration_s": 6, "mandatories": ["Show the bottle clearly."]}
    scenes = plan_scenes(fields)
    assert [s.title for s in scenes] == ["Hook", "End card"]
    assert _scene_of(scenes, "Show the bottle clearly.") == [2]


@pytest.mark.parametrize(
    ("mandatory", "seconds"),
    [
        ("Logo end card for at least 2 seconds.", 3),  # at least 2: a usual end card
        ("Logo end card for at least 5 seconds.", 5),
        ("End card for 4 seconds.", 4),
        ("A 2-second end card with the logo.", 2),
    ],
)
def test_the_end_card_lasts_what_a_mandatory_asks(mandatory, seconds):
    scenes = plan_scenes({**SPRING_FIELDS, "mandatories": [mandatory]})
    assert scenes[-1].duration_s == seconds and sum(s.duration_s for s in scenes) == 30


def test_prompts_read_as_sentences_and_carry_the_briefs_palette():
    fields = {
        **SPRING_FIELDS,
        "key_messages": ["Grip on wet rock, mud and scree."],
        "tone": "Gritty.",
    }
    scenes = plan_scenes(fields)
    for scene in scenes:
        for text in (scene.description, scene.image_prompt):
            assert ".." not in text and ":." not in text and ". ." not in text
        assert "#6EC6FF, #FFE066" in scene.image_prompt
        assert scene.motion_prompt
    assert scenes[1].image_prompt.startswith("Grip on wet rock, mud and scree. Gritty.")


def test_prompts_stay_within_the_models_limit_whatever_the_brief_says():
    fields = {**SPRING_FIELDS, "audience": "shoppers " * 300, "tone": "Bright. " * 100}
    scenes = plan_scenes(fields)
    for scene in scenes:
        assert len(scene.image_prompt) <= catalog.MAX_PROMPT_CHARS
        assert "shoppers" not in scene.image_prompt  # the context goes first, the shot stays
    assert scenes[1].image_prompt.startswith("Zero sugar, real fruit flavour. Bright.")


def test_the_voice_over_says_each_message_once_the_brand_and_the_call_to_action():
    scenes = plan_scenes(SPRING_FIELDS)
    assert [(s.title, s.voice_line) for s in scenes] == [
        ("Hook", "Zero sugar, real fruit flavour."),  # the lead message opens the ad...
        ("Zero sugar, real fruit flavour", ""),  # ...so its own scene, next, does not repeat it
        ("Yuzu-ginger is new and limited", "Yuzu-ginger is new and limited for spring."),
        ("Lumen is the bright, easy swap", "Lumen is the bright, easy swap for soda."),
        ("Product", "Lumen Beverages."),
        # "— this spring only" and "in the chiller aisle" do not fit in 3 s: cut where a phrase ends
        ("End card", "Find Lumen Yuzu-Ginger."),
    ]
    for scene in scenes:  # each said in its scene at a normal rate, with a breath at the cuts
        assert catalog.speech_seconds(scene.voice_line) <= scene.duration_s - 0.5


def test_messages_without_a_scene_of_their_own_are_said_over_the_product():
    fields = {**SPRING_FIELDS, "duration_s": 15}  # a hook, the product, the end card
    hook, product, end_card = plan_scenes(fields)
    assert hook.voice_line == "Zero sugar, real fruit flavour."
    assert product.voice_line == "Lumen Beverages. Yuzu-ginger is new and limited for spring."
    assert end_card.voice_line.startswith("Find Lumen Yuzu-Ginger")


def test_a_brief_with_nothing_to_say_drafts_no_lines():
    fields = {**SPRING_FIELDS, "key_messages": [], "brand": "", "call_to_action": ""}
    assert {s.voice_line for s in plan_scenes(fields)} == {""}


CTA = "Find Lumen Yuzu-Ginger in the chiller aisle — this spring only."


@pytest.mark.parametrize(
    ("seconds", "line"),
    [
        (5, CTA),  # 11 words: it fits whole
        (4, "Find Lumen Yuzu-Ginger in the chiller aisle."),  # before the dash
        (3, "Find Lumen Yuzu-Ginger."),  # before "in the chiller aisle"
        (1, ""),  # not one phrase fits
    ],
)
def test_a_line_too_long_for_its_scene_is_cut_where_a_phrase_ends(seconds, line):
    fitted = fit_line(CTA, seconds)
    assert fitted == line
    said = fitted.rstrip(".")
    if said:  # whole words from the start, never half of one
        assert CTA.startswith(said) and CTA[len(said) : len(said) + 1] in ("", " ", ".")


def test_a_line_with_no_phrase_break_is_cut_after_a_whole_word_never_on_a_dangling_one():
    assert fit_line("Shop the whole spring collection online today", 2.5) == (
        "Shop the whole spring collection."
    )
    assert fit_line("Now taste the difference every single day", 2) == "Now taste."
    assert fit_line("Buy now!", 3) == "Buy now!"  # its own ending kept
