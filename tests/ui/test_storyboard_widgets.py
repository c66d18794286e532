"""The storyboard's forms keep what someone is typing while things change elsewhere on the page.

A browser keeps a form's unsent typing while the form's widgets keep their keys (AppTest sends
a form's values only on its submit, so the keys are what is checked here)."""

from __future__ import annotations

import json

from core.storyboards import editing as sb
from core.storyboards import frames
from tests.utils.factories import SPRING_FIELDS, make_storyboard

# A 15 s spot: three scenes (a hook, the product, the end card).
THREE = {**SPRING_FIELDS, "duration_s": 15, "key_messages": ["Zero sugar."], "mandatories": []}


def _keys(at, prefix: str) -> set[str]:
    widgets = [*at.text_input, *at.text_area, *at.number_input]
    return {w.key for w in widgets if w.key.startswith(prefix)}


def test_typing_in_the_open_scene_survives_changes_elsewhere_on_the_page(
    screen, people, campaign, session
):
    board = make_storyboard(session, people["creative"], campaign, THREE)
    first, second, third = sb.scenes_of(session, board.id)
    at = screen("storyboards", people["creative"],
                query={"storyboard": board.id, "scene": second.id}).run()  # fmt: skip
    forms = (f"storyboards_{second.id}_", "storyboards_add_", "storyboards_settings_")
    before = {p: _keys(at, p) for p in forms}
    [drag] = at.get("component_instance")  # the third scene dragged first
    one, two, three = json.loads(drag.proto.json_args)["items"][0]["items"]
    at.session_state[drag.key] = [{"header": None, "items": [three, one, two]}]
    at.run()
    at.button(key="storyboards_frames_all").click().run()  # and frames for every scene
    assert [s.id for s in sb.scenes_of(session, board.id)] == [third.id, first.id, second.id]
    for untouched in forms:
        assert _keys(at, untouched) == before[untouched], untouched
    at.button(key=f"storyboards_split_{second.id}").click().run()
    assert at.success[0].value == "Split scene 3 in two: the second half is scene 4."
    assert _keys(at, f"storyboards_{second.id}_") != before[f"storyboards_{second.id}_"]  # anew


def test_the_add_form_starts_empty_after_a_scene_is_added(screen, people, campaign, session):
    board = make_storyboard(session, people["creative"], campaign, THREE)
    at = screen("storyboards", people["creative"], query={"storyboard": board.id}).run()
    [t for t in at.text_input if t.key.startswith("storyboards_add_")][0].input("Bonus shot")
    [add] = [b for b in at.button if b.key and b.key.startswith("FormSubmitter:storyboards_add_")]
    add.click().run()
    assert sb.scenes_of(session, board.id)[-1].title == "Bonus shot"
    assert [t for t in at.text_input if t.key.startswith("storyboards_add_")][0].value == ""


def test_frames_of_another_ratio_are_pointed_out(screen, people, campaign, session):
    board = make_storyboard(session, people["creative"], campaign, THREE)
    frames.generate_frames(session=session, actor=people["creative"], storyboard_id=board.id)
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         aspect_ratio="9:16")  # fmt: skip
    session.commit()
    at = screen("storyboards", people["creative"], query={"storyboard": board.id}).run()
    assert (
        "The frames of scenes 1, 2, 3 were made for another aspect ratio than 9:16: the render "
        "would crop them. Make new frames." in [w.value for w in at.warning]
    )


def test_the_storyboards_voice_is_picked_in_its_settings(screen, people, campaign, session):
    from core.storyboards import editing as sb_editing
    from tests.utils.factories import TINY_FIELDS, make_storyboard

    board = make_storyboard(session, people["creative"], campaign, TINY_FIELDS)
    at = screen("storyboards", people["creative"], query={"storyboard": board.id}).run()
    [voice] = [s for s in at.selectbox if s.key.endswith("_voice")]
    assert voice.value == "local/draft-voice"  # the draft voice until another is picked
    voice.set_value(sb_editing.NO_VOICE)
    [save] = [b for b in at.button if b.label == "Save settings"]
    save.click().run()
    session.expire_all()
    assert (
        sb_editing.get_storyboard(
            session=session, actor=people["creative"], storyboard_id=board.id
        ).voice_model
        == sb_editing.NO_VOICE
    )
