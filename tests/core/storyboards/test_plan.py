"""Planning scenes from brief fields: the duration filled, messages, mandatories and brand
carried into readable prompts."""

from core.storyboards.plan import plan_scenes
from tests.utils.factories import SPRING_FIELDS


def test_scenes_fill_the_duration_with_hook_messages_product_and_end_card():
    scenes = plan_scenes(SPRING_FIELDS)
    assert sum(s.duration_s for s in scenes) == 30
    titles = [s.title for s in scenes]
    assert titles[0] == "Hook" and titles[-1] == "End card" and "Product" in titles
    assert titles.count("Key message") == 3
    end = scenes[-1]
    assert "Find Lumen Yuzu-Ginger" in end.description and end.duration_s >= 2
    assert "Logo end card" in end.shot_notes
    assert all("#6EC6FF" in s.image_prompt for s in scenes)
    assert all(s.motion_prompt for s in scenes)


def test_short_briefs_drop_message_scenes_rather_than_make_them_too_short():
    scenes = plan_scenes({**SPRING_FIELDS, "duration_s": 6})
    assert sum(s.duration_s for s in scenes) == 6
    assert all(s.duration_s >= 2 for s in scenes)


def test_missing_duration_uses_a_default_and_says_nothing_invented_about_brand():
    scenes = plan_scenes({"key_messages": ["Fast."]})
    assert sum(s.duration_s for s in scenes) == 30
    assert "Call to action" in scenes[-1].description


def test_prompts_read_as_sentences_whatever_punctuation_the_brief_used():
    fields = {
        **SPRING_FIELDS,
        "key_messages": ["Grip on wet rock, mud and scree."],
        "tone": "Gritty.",
    }
    for scene in plan_scenes(fields):
        for text in (scene.description, scene.image_prompt):
            assert ".." not in text and ":." not in text and ". ." not in text
    assert plan_scenes(fields)[1].image_prompt.startswith(
        "Grip on wet rock, mud and scree. Gritty."
    )


def test_every_mandatory_lands_in_some_scene_and_prohibitions_in_every_one():
    fields = {**SPRING_FIELDS, "mandatories": [
        "Logo end card for at least 2 seconds.",
        "No alcohol cues.",
        "Legal line: terms apply.",  # about no scene: it goes on the end card
    ]}  # fmt: skip
    scenes = plan_scenes(fields)
    assert all("No alcohol cues." in s.shot_notes for s in scenes)
    assert "Legal line: terms apply." in scenes[-1].shot_notes
    assert not any("Legal line" in s.shot_notes for s in scenes[:-1])
