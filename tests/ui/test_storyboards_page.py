"""Storyboards: the scenes as a filmstrip, the open one edited in a panel beside it, each
message where its change was made; scenes dragged or moved, added, split and deleted; an edit
from an out-of-date form refused with the person's text kept; frames quoted (confirmed when
paid), generated, regenerated and chosen; submitted for review; render refused until approved,
then rendered with a confirmed quote and the final ad playing; the animatic made for free (by a
reviewer too), saying what it was made from, and remade once the board changed."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from core.models import Generation, Scene, Storyboard, StoryboardVersion
from core.storyboards import editing as sb
from core.storyboards import final_ad, frames, reviews
from tests.utils.factories import (
    SPRING_FIELDS,
    TINY_FIELDS,
    approve_storyboard,
    make_storyboard,
    make_user,
)
from tests.utils.screens import video_widths
from ui.media import PORTRAIT_WIDTH

# A 15 s spot: three scenes (a hook, the product, the end card).
THREE = {**SPRING_FIELDS, "duration_s": 15, "key_messages": ["Zero sugar."], "mandatories": []}


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, TINY_FIELDS)


def _open(screen, user, board):
    return screen("storyboards", user, query={"storyboard": board.id}).run()


def _scenes(session, board):
    session.expire_all()
    return sb.scenes_of(session, board.id)


def _field(at, scene, suffix):
    """The open scene's form widget, whatever version of the scene it was drawn from."""
    widgets = [*at.text_input, *at.text_area, *at.number_input]
    [found] = [x for x in widgets if x.key.startswith(f"storyboards_{scene.id}_")
               and x.key.endswith(f"_{suffix}")]  # fmt: skip
    return found


def _submit_scene(at, scene):
    [button] = [b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:storyboards_"
                f"{scene.id}_")]  # fmt: skip
    return button.click().run()


def _text(at) -> str:
    parts = [*at.markdown, *at.caption, *at.success, *at.error, *at.warning, *at.info]
    return "\n".join(p.value for p in parts)


def _panel(at):
    """The open scene's panel, where its messages show."""
    return at.main.container(key="storyboards_panel")


def _strip(at):
    return at.main.container(key="storyboards_filmstrip")


def _cards(at) -> list[str]:
    """The filmstrip's cards, in order: each card's title button."""
    return [b.label for b in _strip(at).button if b.key.startswith("storyboards_open_")]


def _drag(at, order: list[str]):
    """What the drag component sends when a scene is dropped elsewhere: the labels' new order
    (the browser's drag itself is tested in tests/e2e/test_storyboard_timeline_e2e.py)."""
    [row] = at.get("component_instance")
    at.session_state[row.key] = [{"header": None, "items": order}]
    return at.run()


def _labels(at) -> list[str]:
    [row] = at.get("component_instance")
    return json.loads(row.proto.json_args)["items"][0]["items"]


def test_the_scenes_are_a_filmstrip_and_the_open_one_is_edited_beside_it(
    screen, people, board, session
):
    at = _open(screen, people["creative"], board)
    assert not at.exception
    hook, end = _scenes(session, board)
    assert _cards(at) == ["1 · Hook", "2 · End card"]
    assert [c.value for c in _strip(at).caption if c.value.endswith("pending")] == [
        "2 s · ⏳ pending", "2 s · ⏳ pending"
    ]  # fmt: skip
    assert _labels(at) == ["1 · Hook · 2 s", "2 · End card · 2 s"]
    # One scene's form at a time, the first one first, and it is in the URL.
    assert at.query_params["scene"] == hook.id
    assert "**Scene 1 · Hook · 2 s** · review: ⏳ pending" in [m.value for m in _panel(at).markdown]
    assert _field(at, hook, "description").value == hook.description
    assert _field(at, hook, "image").value == hook.image_prompt
    assert _field(at, hook, "motion").value == hook.motion_prompt
    assert _field(at, hook, "duration").value == 2
    assert not [t for t in at.text_area if t.key.startswith(f"storyboards_{end.id}_")]
    at.button(key=f"storyboards_open_{end.id}").click().run()
    assert at.query_params["scene"] == end.id
    assert _field(at, end, "notes").value == end.shot_notes
    # A reload, or a link shared, opens the same scene.
    again = screen("storyboards", people["creative"],
                   query={"storyboard": board.id, "scene": end.id}).run()  # fmt: skip
    assert _field(again, end, "title").value == "End card"


def test_a_scene_dragged_in_the_strip_moves_and_stays_open_with_the_message_beside_it(
    screen, people, board, session
):
    at = _open(screen, people["creative"], board)
    hook, end = _scenes(session, board)
    _drag(at, ["2 · End card · 2 s", "1 · Hook · 2 s"])
    assert [s.id for s in _scenes(session, board)] == [end.id, hook.id]
    assert [m.value for m in _strip(at).success] == ["Moved scene 2 to scene 1."]
    assert not _panel(at).success
    assert _cards(at) == ["1 · End card", "2 · Hook"]
    assert _labels(at) == ["1 · End card · 2 s", "2 · Hook · 2 s"]  # drawn anew, in order
    assert at.query_params["scene"] == hook.id  # the open scene is still open, now second
    assert "**Scene 2 · Hook · 2 s** · review: ⏳ pending" in [m.value for m in _panel(at).markdown]
    at.run()  # the drop is applied once
    assert [s.id for s in _scenes(session, board)] == [end.id, hook.id]


def test_a_drag_on_a_page_out_of_date_moves_the_scene_that_was_dragged(
    screen, people, campaign, session
):
    board = make_storyboard(session, people["creative"], campaign, THREE)
    first, second, third = _scenes(session, board)
    at = _open(screen, people["creative"], board)
    labels = _labels(at)
    sb.move_scene(session=session, actor=people["creative"], scene_id=first.id, position=2)
    session.commit()  # another tab: 2, 3, 1
    _drag(at, [labels[2], labels[0], labels[1]])  # this tab drags the third (as it saw it) first
    assert [s.id for s in _scenes(session, board)] == [third.id, second.id, first.id]


def test_edit_reorder_add_split_and_delete_say_so_in_the_panel(screen, people, board, session):
    at = _open(screen, people["creative"], board)
    hook, end = _scenes(session, board)
    _field(at, hook, "title").input("Opening")
    _field(at, hook, "duration").set_value(3)
    _submit_scene(at, hook)
    assert [m.value for m in _panel(at).success] == ["Saved scene 1."]
    assert [(s.title, s.duration_s) for s in _scenes(session, board)][0] == ("Opening", 3)
    assert _field(at, hook, "title").value == "Opening"
    at.button(key=f"storyboards_down_{hook.id}").click().run()
    assert [s.id for s in _scenes(session, board)] == [end.id, hook.id]
    assert [m.value for m in _panel(at).success] == ["Moved scene 1 later: it is scene 2 now."]
    assert "**Scene 2 · Opening · 3 s** · review: ⏳ pending" in _text(at)  # still open
    at.button(key=f"storyboards_split_{hook.id}").click().run()
    assert [s.duration_s for s in _scenes(session, board)] == [2, 2, 1]
    assert _field(at, hook, "duration").value == 2  # the split scene's form shows its new length
    assert _cards(at) == ["1 · End card", "2 · Opening", "3 · Opening (cont.)"]
    at.button(key=f"storyboards_up_{hook.id}").click().run()
    assert [s.id for s in _scenes(session, board)][:2] == [hook.id, end.id]
    added = [f for f in at.text_input if f.key.startswith("storyboards_add_")][0]
    added.input("Bonus shot")
    [add] = [b for b in at.button if b.key and b.key.startswith("FormSubmitter:storyboards_add_")]
    add.click().run()
    bonus = _scenes(session, board)[-1]
    assert bonus.title == "Bonus shot" and at.query_params["scene"] == bonus.id  # opened
    [adding] = [e for e in at.expander if e.label == "Add a scene at the end"]
    assert [m.value for m in adding.success] == ["Added scene 4: it is open above."]
    at.button(key=f"storyboards_open_{end.id}").click().run()
    [confirm] = [b for b in at.button if b.key == f"storyboards_delete_{end.id}"]
    assert confirm.label == "Delete scene 2"  # inside a popover that asks first
    confirm.click().run()
    assert [m.value for m in _panel(at).success] == ["Deleted scene 2."]
    assert end.id not in [s.id for s in _scenes(session, board)]
    assert len(_scenes(session, board)) == 3
    assert at.query_params["scene"] == _scenes(session, board)[1].id  # the one now in its place


def test_frames_for_every_scene_then_a_new_one_for_one_scene_and_a_choice(
    screen, people, board, session
):
    at = _open(screen, people["creative"], board)
    assert len(at.image) == 0 and "No frame yet." in _text(at)
    assert "2 of 2 scenes have no frame yet" in at.warning[0].value  # said before submitting
    assert "2 frames · free (draft engine)" in _text(at)
    assert not at.checkbox  # free work needs no confirmation
    at.button(key="storyboards_frames_all").click().run()
    assert at.success[0].value == "Queued 2 frames for every scene."
    assert len(_strip(at).image) == 2 and len(_panel(at).image) == 1  # cards; the open scene's
    assert not [w for w in at.warning if "no frame yet" in w.value]
    hook, _ = _scenes(session, board)
    at.button(key=f"storyboards_regen_{hook.id}").click().run()
    assert [m.value for m in _panel(at).success] == ["Queued 1 frame for the scene."]
    assert len(_panel(at).image) == 2
    at.button(key=f"storyboards_regen_{hook.id}").click().run()  # again: another one
    assert len(_panel(at).image) == 3
    variants = frames.frames_of(session=session, actor=people["creative"], storyboard_id=board.id)
    older = variants[hook.id][-1]
    at.button(key=f"storyboards_use_{older.id}").click().run()
    assert [m.value for m in _panel(at).success] == ["Scene 1 now uses this frame."]
    assert _scenes(session, board)[0].frame_id == older.id


def test_paid_frames_are_quoted_and_wait_for_a_confirmation(
    screen, people, board, session, token, real_queue
):
    at = _open(screen, people["creative"], board)
    at.selectbox(key="storyboards_frame_model").set_value("google/nano-banana").run()
    at.number_input(key="storyboards_variants").set_value(2).run()
    assert "4 frames · **$0.16**" in _text(at)  # 2 scenes, 2 variants, $0.039 each
    assert "$50.00 budget" in _text(at)  # and where it takes the campaign's budget
    assert at.button(key="storyboards_frames_all").disabled
    [every] = [c for c in at.checkbox if c.label.startswith("I confirm spending $0.16")]
    assert every.label == "I confirm spending $0.16 on 4 frames"
    hook, _ = _scenes(session, board)
    assert at.button(key=f"storyboards_regen_{hook.id}").disabled  # its own quote: 2 frames
    assert [c.label for c in _panel(at).checkbox] == ["I confirm spending $0.08 on 2 frames"]
    assert session.exec(select(Generation)).all() == []  # quotes only
    every.check().run()
    at.button(key="storyboards_frames_all").click().run()
    assert at.success[0].value == "Queued 4 frames for every scene."
    made = session.exec(select(Generation)).all()
    assert {g.model for g in made} == {"google/nano-banana"} and len(made) == 4
    assert at.button(key="storyboards_frames_all").disabled  # the next batch is confirmed anew


def test_submit_puts_it_in_review_locked_and_a_version_is_kept(screen, people, board, session):
    at = _open(screen, people["creative"], board)
    at.button(key="storyboards_submit").click().run()
    assert at.success[0].value == f"Submitted '{board.title}' for review (v1)."
    session.expire_all()
    assert session.get(Storyboard, board.id).status == "in_review"
    assert "Under review: editing is locked" in _text(at)
    assert not [b for b in at.button if b.key and "_delete_" in b.key]
    assert len(session.exec(select(StoryboardVersion)).all()) == 1
    assert at.selectbox(key="storyboards_version").value == 1
    queue = reviews.review_queue(session=session, actor=people["reviewer"])
    assert [b.id for b in queue] == [board.id]


def test_render_of_an_unapproved_storyboard_is_refused_with_a_message(
    screen, people, board, session
):
    at = _open(screen, people["creative"], board)
    [note] = [i.value for i in at.info if "approved" in i.value]  # a state, not an error box
    assert note == "Only an approved storyboard can be rendered; this one is a draft."
    assert not [b for b in at.button if b.key == "storyboards_render"]
    assert session.exec(select(Generation)).all() == []


def test_reviewers_read_without_edit_or_render_controls(screen, people, board, session):
    at = _open(screen, people["reviewer"], board)
    assert not at.exception
    assert "**Scene 1 · Hook · 2 s** · review: ⏳ pending" in _text(at)
    assert _cards(at) == ["1 · Hook", "2 · End card"]  # to open a scene, nothing to edit
    # Nothing to edit; the animatic (free, changes nothing) they may make.
    assert [b.key for b in at.button if not b.key.startswith("storyboards_open_")] == [
        "storyboards_animatic_make"
    ]  # fmt: skip
    assert not at.text_input and not at.get("component_instance")  # no drag either
    end = _scenes(session, board)[1]
    at.button(key=f"storyboards_open_{end.id}").click().run()
    assert "**Scene 2 · End card · 2 s** · review: ⏳ pending" in _text(at)


def test_viewers_are_refused(screen, people, board):
    at = _open(screen, people["viewer"], board)
    assert [e.value for e in at.error] == ["Your role (viewer) cannot see work in progress."]


def test_an_approved_storyboard_renders_after_its_quote_and_free_needs_no_confirmation(
    screen, people, board, session
):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    at = _open(screen, people["creative"], board)
    text = _text(at)
    assert "1. Frame · scene 1 · Draft image · free" in text
    assert "4. Clip · scene 2 · Draft video · free" in text
    assert "7. Final ad · 16:9 · free" in text
    assert "**Estimated cost: $0.00** (draft engine: free)" in text
    assert not [c for c in at.checkbox if c.key.startswith("storyboards_confirm_")]
    assert session.exec(select(Generation)).all() == []  # the quote wrote nothing
    # The brief asks for 16:9 and 9:16: the other ratio is picked to begin with.
    assert at.multiselect(key=f"storyboards_extra_{board.id}").value == ["9:16"]
    assert "8. Final ad · 9:16 · free" in _text(at)
    at.button(key="storyboards_render").click().run()  # (paid: tests/ui/test_render_panel.py)
    assert not at.exception
    assert at.success[0].value == "Render started: every step's progress is below."
    finals = [g for g in session.exec(select(Generation)) if g.kind == "composite"]
    assert sorted(f.params["aspect_ratio"] for f in finals) == ["16:9", "9:16"]
    assert all(f.status == "succeeded" for f in finals)
    # Both play; the portrait one in a narrow box, so it is not taller than the screen.
    assert sorted(map(str, video_widths(at))) == [str(PORTRAIT_WIDTH), "stretch"]
    assert "Final ad · 16:9 · 4 s" in _text(at)


def test_a_paid_video_model_draws_paid_frames_unless_the_draft_is_picked(
    screen, people, board, session, token
):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    at = _open(screen, people["creative"], board)
    at.selectbox(key="storyboards_video_model").set_value("bytedance/seedance-1-lite").run()
    frame_model = at.selectbox(key="storyboards_image_model_replicate")
    assert frame_model.value == "google/nano-banana"
    assert "1. Frame · scene 1 · Nano Banana (Google) · $0.04" in _text(at)
    frame_model.set_value("local/draft-image").run()
    assert "1. Frame · scene 1 · Draft image · free" in _text(at)
    assert session.exec(select(Generation)).all() == []  # quotes only


def test_a_render_in_progress_is_canceled_then_resumed_from_the_panel(
    screen, people, board, session, real_queue
):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = _open(screen, people["creative"], board)  # the real queue, no worker: nothing runs
    [progress] = at.main.get("progress")
    assert progress.proto.text == "0 % done · 0 of 7 steps · spent so far $0.00 of $0.00 quoted"
    text = _text(at)
    assert "**Clip · scene 2**" in text and "🕓 queued" in text
    assert not [b for b in at.button if b.key == "storyboards_cancel_render"] == []
    reviewer = _open(screen, people["reviewer"], board)
    assert not [b for b in reviewer.button if "render" in (b.key or "")]  # not theirs to stop
    at.button(key="storyboards_cancel_render").click().run()
    # (AppTest keeps only the live fragment's part of that run; the browser test sees the
    # message: tests/e2e/test_paid_render_e2e.py)
    at.run()
    session.expire_all()
    assert {g.status for g in session.exec(select(Generation))} == {"canceled"}
    assert [b for b in at.button if b.key.startswith("storyboards_retry_step_")]
    at.button(key="storyboards_resume_render").click().run()
    assert "Render resumed: 4 steps queued again." in _text(at)  # 2 frames, music, voice
    session.expire_all()
    statuses = sorted(g.status for g in session.exec(select(Generation)))
    assert statuses == ["queued"] * 4 + ["waiting"] * 3  # the clips and final ad wait on them


def test_a_draft_render_is_quoted_again_on_real_models_in_one_click(
    screen, people, board, session, token
):
    creative = people["creative"]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    first = _scenes(session, board)[0]
    [draft] = frames.frames_of(session=session, actor=creative, storyboard_id=board.id)[first.id]
    frames.choose_variant(session=session, actor=creative, scene_id=first.id,
                          generation_id=draft.id)  # fmt: skip
    approve_storyboard(session, board, creative, people["reviewer"])
    final_ad.render(session=session, actor=creative, storyboard_id=board.id)  # on the drafts
    session.commit()
    made = len(session.exec(select(Generation)).all())
    at = _open(screen, creative, board)
    at.button(key="storyboards_real_models").click().run()
    assert at.selectbox(key="storyboards_video_model").value == "bytedance/seedance-1-lite"
    text = _text(at)
    assert "check the quote, then confirm it" in "\n".join(i.value for i in at.info)
    assert "Frame · scene 1" not in text  # the chosen draft frame is kept
    assert "Frame · scene 2 · Nano Banana (Google) · $0.04" in text
    assert "Clip · scene 1 · Seedance 1 Lite (ByteDance)" in text
    assert "Music · MusicGen (Meta)" in text
    assert at.button(key="storyboards_render").disabled  # the paid quote is not confirmed yet
    session.expire_all()
    assert len(session.exec(select(Generation)).all()) == made  # nothing spent


def test_queued_frames_show_their_progress(screen, people, board, real_queue):
    at = _open(screen, people["creative"], board)  # the real queue, no worker: frames wait
    at.button(key="storyboards_frames_all").click().run()
    assert "2 frames being made…" in _text(at)
    assert "🕓 queued" in _text(at) and not at.image


def test_deleting_the_end_card_warns_that_the_brief_is_no_longer_honoured(
    screen, people, campaign, session
):
    board = make_storyboard(session, people["creative"], campaign, SPRING_FIELDS)
    at = _open(screen, people["creative"], board)
    assert not [x for x in at.warning if "Against the brief" in x.value]
    [places] = [e for e in at.expander if e.label.startswith("The brief's mandatories")]
    said = "\n".join(m.value for m in places.markdown)
    assert "is in scene" in said and "End card" in said  # the logo end card is the last scene
    end = _scenes(session, board)[-1]
    at.button(key=f"storyboards_open_{end.id}").click().run()
    at.button(key=f"storyboards_delete_{end.id}").click().run()
    [warning] = [x.value for x in at.warning if "Against the brief" in x.value]
    assert "The scenes add up to 27 s; the brief asks for 30 s." in warning
    assert "the last scene is not one" in warning and "“Logo end card" in warning


def test_a_scene_length_out_of_range_is_named_and_nothing_changes(screen, people, board, session):
    at = _open(screen, people["creative"], board)
    hook, _ = _scenes(session, board)
    box = _field(at, hook, "duration")
    assert (box.min, box.max) == (None, None)  # the browser would keep 100 to itself
    box.set_value(100)
    _submit_scene(at, hook)
    expected = f"Scene 1 “{hook.title}”: duration: whole seconds from 1 to 30"
    assert [e.value for e in _panel(at).error] == [expected]
    assert _scenes(session, board)[0].duration_s == 2
    assert _field(at, hook, "duration").value == 100  # kept, to correct


def test_a_render_from_an_earlier_version_is_marked_under_final_ad(screen, people, board, session):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = _open(screen, people["creative"], board)
    assert "Final ad · 16:9 · 4 s" in _text(at) and "before later changes" not in _text(at)
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         aspect_ratio="9:16")  # fmt: skip
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    at = _open(screen, people["creative"], board)
    assert len(at.get("video")) == 1  # still viewable, but not passed off as v2
    assert "Final ad · 16:9 · 4 s · from v1 (before later changes)" in _text(at)


def test_the_later_of_two_editors_is_told_and_keeps_their_text_to_re_apply(
    screen, people, board, session
):
    carl = make_user(session, people["admin"], "carl")
    hook, _ = _scenes(session, board)
    cleo = _open(screen, people["creative"], board)
    other = _open(screen, carl, board)  # a second tab, on the same scene
    _field(cleo, hook, "description").input("Cleo's take")
    _submit_scene(cleo, hook)
    assert [m.value for m in _panel(cleo).success] == ["Saved scene 1."]
    _field(other, hook, "description").input("Carl's take")
    _submit_scene(other, hook)
    [told] = _panel(other).error
    said = (r"This scene was changed by cleo at \d\d:\d\d UTC while you were editing; your "
            r"text is kept below — re-apply it\.")  # fmt: skip
    assert re.fullmatch(said, told.value)
    assert _scenes(session, board)[0].description == "Cleo's take"  # not written over
    assert _field(other, hook, "description").value == "Cleo's take"  # the form: what is saved
    assert [c.value for c in _panel(other).code] == ["Carl's take"]  # and Carl's, to copy
    other.button(key="storyboards_put_back").click().run()
    assert _field(other, hook, "description").value == "Carl's take"
    assert not _panel(other).error
    _submit_scene(other, hook)
    assert [m.value for m in _panel(other).success] == ["Saved scene 1."]
    assert _scenes(session, board)[0].description == "Carl's take"  # re-applied on purpose


def test_a_scene_changed_elsewhere_is_pointed_out_before_saving(screen, people, board, session):
    hook, _ = _scenes(session, board)
    at = _open(screen, people["creative"], board)
    sb.update_scene(session=session, actor=people["admin"], scene_id=hook.id, title="Ada's")
    session.commit()
    at.run()  # any click on the page
    assert "This scene was changed elsewhere since you opened it" in _text(at)
    assert _field(at, hook, "title").value == "Hook"  # what is typed is not replaced
    at.button(key=f"storyboards_{hook.id}_v1_refresh").click().run()
    assert _field(at, hook, "title").value == "Ada's"


def test_text_saved_to_a_scene_deleted_meanwhile_is_kept_and_can_be_added(
    screen, people, board, session
):
    _, end = _scenes(session, board)
    at = _open(screen, people["creative"], board)
    at.button(key=f"storyboards_open_{end.id}").click().run()
    sb.delete_scene(session=session, actor=people["admin"], scene_id=end.id)
    session.commit()
    _field(at, end, "title").input("My new end card")
    _submit_scene(at, end)
    assert [e.value for e in _panel(at).error] == [sb.DELETED_WHILE_EDITING]
    assert "My new end card" in [c.value for c in _panel(at).code]
    at.button(key="storyboards_add_kept").click().run()
    assert [s.title for s in _scenes(session, board)] == ["Hook", "My new end card"]
    assert [m.value for m in _panel(at).success] == ["Added your text as scene 2."]


def _animatic_videos(session) -> list[Generation]:
    session.expire_all()
    return [g for g in session.exec(select(Generation)) if g.params.get("animatic")]


def test_the_animatic_is_made_for_free_plays_and_says_what_it_was_made_from(
    screen, people, board, session
):
    at = _open(screen, people["creative"], board)
    assert at.button(key="storyboards_animatic_make").label == "Make animatic (free)"
    assert not video_widths(at)
    at.button(key="storyboards_animatic_make").click().run()
    assert not at.exception
    [made] = _animatic_videos(session)
    assert re.fullmatch(r"Animatic made in \d+\.\d s: free, nothing was spent\.",
                        at.success[0].value)  # fmt: skip
    assert video_widths(at) == ["stretch"]
    assert f"Made from the first draft · 4 s · {made.created_at:%Y-%m-%d %H:%M} UTC" in _text(at)
    # It shows the board as it is: nothing to make again.
    assert not [b for b in at.button if b.key == "storyboards_animatic_make"]
    hook, _ = _scenes(session, board)
    sb.update_scene(session=session, actor=people["creative"], scene_id=hook.id, duration_s=3)
    session.commit()
    at.run()
    assert "The storyboard has changed since this animatic was made" in _text(at)
    assert at.button(key="storyboards_animatic_make").label == "Remake animatic (free)"
    at.button(key="storyboards_animatic_make").click().run()
    assert len(_animatic_videos(session)) == 2
    assert "Made from the first draft · 5 s" in _text(at)
    assert "has changed since" not in _text(at)


def test_a_reviewer_makes_the_animatic_of_a_board_in_review(screen, people, board, session):
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = _open(screen, people["reviewer"], board)
    at.button(key="storyboards_animatic_make").click().run()
    assert not at.exception and video_widths(at) == ["stretch"]
    assert "Made from v1 · 4 s" in _text(at)
    [made] = _animatic_videos(session)
    assert (made.created_by, made.cost_usd) == (people["reviewer"].id, 0.0)


def test_two_storyboards_of_one_title_are_told_apart_and_each_opens(
    screen, people, campaign, session
):
    first = make_storyboard(session, people["creative"], campaign, TINY_FIELDS, title="Own it")
    second = make_storyboard(session, people["creative"], campaign, TINY_FIELDS, title="Own it")
    session.commit()
    at = _open(screen, people["creative"], first)
    [picker] = [s for s in at.selectbox if s.label == "Storyboard"]
    labels = list(picker.options)
    assert len(set(labels)) == len(labels)  # a person can tell which is which
    picker.select(second.id).run()
    assert at.query_params["storyboard"] == second.id
    assert f"`{second.id}`" in " ".join(c.value for c in at.caption)
    frames_button = next(b for b in at.button if b.label.startswith("Generate frames"))
    frames_button.click().run()
    session.expire_all()
    made = session.exec(select(Generation).where(Generation.kind == "image")).all()
    boards = {session.get(Scene, g.scene_id).storyboard_id for g in made}
    assert boards == {second.id}  # the storyboard that is open, not its namesake
