"""Scene forms keep what someone is typing while others act elsewhere on the page.

A browser keeps a form's unsent typing while the form's widgets keep their keys (AppTest sends
a form's values only on its submit, so the keys are what is checked here)."""

from __future__ import annotations

from core.storyboards import editing as sb
from core.storyboards import frames
from tests.utils.factories import SPRING_FIELDS, make_storyboard

# A 15 s spot: three scenes (a hook, the product, the end card).
THREE = {**SPRING_FIELDS, "duration_s": 15, "key_messages": ["Zero sugar."], "mandatories": []}


def _keys(at, prefix: str) -> set[str]:
    widgets = [*at.text_input, *at.text_area, *at.number_input]
    return {w.key for w in widgets if w.key.startswith(prefix)}


def test_typing_in_one_scene_survives_a_split_of_another(screen, people, campaign, session):
    board = make_storyboard(session, people["creative"], campaign, THREE)
    first, second, _ = sb.scenes_of(session, board.id)
    at = screen("storyboards", people["creative"], query={"storyboard": board.id}).run()
    forms = (f"storyboards_{second.id}_", "storyboards_add_", "storyboards_settings_",
             f"storyboards_{first.id}_")  # fmt: skip
    before = {p: _keys(at, p) for p in forms}
    at.button(key=f"storyboards_split_{first.id}").click().run()
    assert at.success[0].value == "Split scene 1 in two."
    for untouched in (f"storyboards_{second.id}_", "storyboards_add_", "storyboards_settings_"):
        assert _keys(at, untouched) == before[untouched], untouched
    assert _keys(at, f"storyboards_{first.id}_") != before[f"storyboards_{first.id}_"]  # anew


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
