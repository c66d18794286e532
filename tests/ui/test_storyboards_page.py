"""Storyboards: scenes edited, reordered, added, split and deleted; frames generated, regenerated
and chosen; submitted for review; render refused until approved, then rendered with a confirmed
quote and the final ad playing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.models import Generation, Storyboard, StoryboardVersion
from core.storyboards import editing as sb
from core.storyboards import final_ad, frames, reviews
from tests.utils.factories import SPRING_FIELDS, TINY_FIELDS, approve_storyboard, make_storyboard
from tests.utils.screens import video_widths
from ui.media import PORTRAIT_WIDTH


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, TINY_FIELDS)


def _open(screen, user, board):
    return screen("storyboards", user, query={"storyboard": board.id}).run()


def _scenes(session, board):
    session.expire_all()
    return sb.scenes_of(session, board.id)


def _field(at, scene, suffix):
    """A scene form's widget, whatever the storyboard's current revision is."""
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


def test_scenes_are_listed_with_every_field(screen, people, board, session):
    at = _open(screen, people["creative"], board)
    assert not at.exception
    hook, end = _scenes(session, board)
    assert "Scene 1 · Hook · 2 s" in _text(at) and "Scene 2 · End card · 2 s" in _text(at)
    assert _field(at, hook, "description").value == hook.description
    assert _field(at, hook, "image").value == hook.image_prompt
    assert _field(at, hook, "motion").value == hook.motion_prompt
    assert _field(at, end, "notes").value == end.shot_notes
    assert _field(at, hook, "duration").value == 2


def test_edit_reorder_add_split_and_delete(screen, people, board, session):
    at = _open(screen, people["creative"], board)
    hook, end = _scenes(session, board)
    _field(at, hook, "title").input("Opening")
    _field(at, hook, "duration").set_value(3)
    _submit_scene(at, hook)
    assert at.success[0].value == "Saved scene 1."
    assert [(s.title, s.duration_s) for s in _scenes(session, board)][0] == ("Opening", 3)
    at.button(key=f"storyboards_down_{hook.id}").click().run()
    assert [s.id for s in _scenes(session, board)] == [end.id, hook.id]
    assert "Scene 2 · Opening · 3 s" in _text(at)  # forms redrawn from the saved order
    at.button(key=f"storyboards_split_{hook.id}").click().run()
    assert [s.duration_s for s in _scenes(session, board)] == [2, 2, 1]
    assert _field(at, hook, "duration").value == 2  # the split scene's form shows its new length
    at.button(key=f"storyboards_up_{hook.id}").click().run()
    assert [s.id for s in _scenes(session, board)][:2] == [hook.id, end.id]
    added = [f for f in at.text_input if f.key.startswith("storyboards_add_")][0]
    added.input("Bonus shot")
    [add] = [b for b in at.button if b.key and b.key.startswith("FormSubmitter:storyboards_add_")]
    add.click().run()
    assert _scenes(session, board)[-1].title == "Bonus shot"
    [confirm] = [b for b in at.button if b.key == f"storyboards_delete_{end.id}"]
    assert confirm.label == "Delete scene 2"  # inside a popover that asks first
    confirm.click().run()
    assert at.success[0].value == "Deleted scene 2."
    assert end.id not in [s.id for s in _scenes(session, board)]
    assert len(_scenes(session, board)) == 3


def test_frames_for_every_scene_then_a_new_one_for_one_scene_and_a_choice(
    screen, people, board, session
):
    at = _open(screen, people["creative"], board)
    assert len(at.image) == 0 and "No frame yet." in _text(at)
    assert "2 of 2 scenes have no frame yet" in at.warning[0].value  # said before submitting
    at.button(key="storyboards_frames_all").click().run()
    assert at.success[0].value == "Queued 2 frames for every scene."
    assert len(at.image) == 2
    assert not [w for w in at.warning if "no frame yet" in w.value]
    hook, _ = _scenes(session, board)
    at.button(key=f"storyboards_regen_{hook.id}").click().run()
    assert at.success[0].value == "Queued 1 frame for the scene."
    assert len(at.image) == 3
    variants = frames.frames_of(session=session, actor=people["creative"], storyboard_id=board.id)
    older = variants[hook.id][-1]
    at.button(key=f"storyboards_use_{older.id}").click().run()
    assert at.success[0].value == f"Scene 1 now uses {older.id}."
    assert _scenes(session, board)[0].frame_id == older.id


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


def test_reviewers_read_without_edit_or_render_controls(screen, people, board):
    at = _open(screen, people["reviewer"], board)
    assert not at.exception
    assert "Scene 1 · Hook · 2 s" in _text(at)
    assert not at.button and not at.text_input  # nothing to edit, submit or render


def test_viewers_are_refused(screen, people, board):
    at = _open(screen, people["viewer"], board)
    assert [e.value for e in at.error] == ["Your role (viewer) cannot see work in progress."]


def _confirm(at, board):
    """The quote's checkbox (its key changes with the total and after each started render)."""
    [box] = [c for c in at.checkbox if c.key.startswith(f"storyboards_confirm_{board.id}_")]
    return box


def test_an_approved_storyboard_renders_after_the_quote_is_confirmed(
    screen, people, board, session
):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    at = _open(screen, people["creative"], board)
    text = _text(at)
    assert "1. Frame · scene 1 · local/draft-image · $0.000" in text
    assert "4. Clip · scene 2 · local/draft-video · $0.000" in text
    assert "6. Final ad · 16:9 · local/compose · $0.000" in text
    assert "**Estimated cost: $0.00** (draft engine: free)" in text
    assert at.button(key="storyboards_render").disabled  # not confirmed yet
    assert session.exec(select(Generation)).all() == []  # the quote wrote nothing
    at.multiselect(key="storyboards_extra").select("9:16").run()
    assert "7. Final ad · 9:16 · local/compose · $0.000" in _text(at)
    _confirm(at, board).check().run()
    at.button(key="storyboards_render").click().run()
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
    assert "1. Frame · scene 1 · google/nano-banana · $0.039" in _text(at)
    frame_model.set_value("local/draft-image").run()
    assert "1. Frame · scene 1 · local/draft-image · $0.000" in _text(at)
    assert session.exec(select(Generation)).all() == []  # quotes only


def test_a_render_in_progress_is_canceled_then_resumed_from_the_panel(
    screen, people, board, session, real_queue
):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    session.commit()
    at = _open(screen, people["creative"], board)  # the real queue, no worker: nothing runs
    [progress] = at.main.get("progress")
    assert progress.proto.text == "0 of 6 steps done · spent so far $0.00 of $0.00 quoted"
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
    assert "Render resumed: 3 steps queued again." in _text(at)  # 2 frames + music
    session.expire_all()
    statuses = sorted(g.status for g in session.exec(select(Generation)))
    assert statuses == ["queued"] * 3 + ["waiting"] * 3  # the clips and final ad wait on them


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
    assert "Frame · scene 2 · google/nano-banana · $0.039" in text
    assert "Clip · scene 1 · bytedance/seedance-1-lite" in text
    assert "Music · meta/musicgen" in text
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
    # Named with its scene: the message shows above all the storyboard's scenes.
    expected = f"Scene 1 “{hook.title}”: duration: whole seconds from 1 to 30"
    assert expected in [e.value for e in at.error]
    assert _scenes(session, board)[0].duration_s == 2


def test_each_render_needs_the_quote_confirmed_again(screen, people, board, session):
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    at = _open(screen, people["creative"], board)
    _confirm(at, board).check().run()
    assert not at.button(key="storyboards_render").disabled
    at.button(key="storyboards_render").click().run()
    assert at.success[0].value == "Render started: every step's progress is below."
    assert _confirm(at, board).value is False  # a second click would spend again
    assert at.button(key="storyboards_render").disabled
    assert "Confirm the quote to start the render." in _text(at)
    _confirm(at, board).check().run()
    assert not at.button(key="storyboards_render").disabled


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
