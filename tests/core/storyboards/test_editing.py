"""Storyboards from a brief (at once or from a saved brief), and editing them."""

import re

import pytest
from sqlmodel import select

from core.db import session_scope
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import Brief
from core.storyboards import editing as sb
from core.storyboards import reviews
from tests.utils.factories import (
    SHORT_FIELDS,
    SPRING_FIELDS,
    make_campaign,
    make_storyboard,
    make_user,
    submit_generation,
)


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, SPRING_FIELDS)


def test_storyboard_from_brief_keeps_ratio_cta_and_music(session, board):
    assert board.aspect_ratio == "16:9" and board.status == "draft" and board.version == 0
    assert board.call_to_action.startswith("Find Lumen")
    assert "110 BPM" in board.music_prompt
    assert len(sb.scenes_of(session, board.id)) == 6


def test_reorder_add_split_delete_and_edit(session, people, board):
    creative = people["creative"]
    first, second, *_ = sb.scenes_of(session, board.id)
    sb.move_scene(session=session, actor=creative, scene_id=first.id, position=2)
    assert [s.id for s in sb.scenes_of(session, board.id)][:3] == [second.id, _[0].id, first.id]
    added = sb.add_scene(
        session=session,
        actor=creative,
        storyboard_id=board.id,
        position=0,
        title="Cold open",
        description="A fizzing glass",
        duration_s=2,
    )
    assert sb.scenes_of(session, board.id)[0].id == added.id
    before = first.duration_s
    half = sb.split_scene(session=session, actor=creative, scene_id=first.id)
    assert first.duration_s + half.duration_s == before
    assert half.position == first.position + 1
    sb.delete_scene(session=session, actor=creative, scene_id=added.id)
    sb.update_scene(session=session, actor=creative, scene_id=second.id, description="New")
    scenes = sb.scenes_of(session, board.id)
    assert [s.position for s in scenes] == list(range(len(scenes)))
    assert next(s for s in scenes if s.id == second.id).description == "New"


def test_bad_edits_are_refused(session, people, board):
    scene = sb.scenes_of(session, board.id)[0]
    with pytest.raises(ValidationError, match="whole seconds"):
        sb.update_scene(session=session, actor=people["creative"], scene_id=scene.id, duration_s=0)
    with pytest.raises(ValidationError, match="Aspect ratio: allowed"):
        sb.update_storyboard(
            session=session, actor=people["creative"], storyboard_id=board.id, aspect_ratio="2:1"
        )


def test_editing_an_approved_storyboard_needs_review_again(session, people, board):
    reviews.submit(session=session, actor=people["creative"], storyboard_id=board.id)
    with pytest.raises(Conflict, match="under review"):
        sb.update_storyboard(
            session=session, actor=people["creative"], storyboard_id=board.id, title="x"
        )
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    assert board.status == "approved"
    sb.update_storyboard(
        session=session, actor=people["creative"], storyboard_id=board.id, transition="crossfade"
    )
    assert board.status == "draft" and board.approved_at is None


def test_a_frame_must_be_a_finished_image_of_the_same_campaign(session, people, board):
    from core.campaigns import campaigns

    client_id = campaigns.get_campaign(session=session, campaign_id=board.campaign_id).client_id
    other = make_campaign(session, people["admin"], "Another campaign", client_id=client_id,
                          budget_usd=None)  # fmt: skip
    foreign = submit_generation(session, people["creative"], other, "image",
                                "someone else's product")  # fmt: skip
    session.commit()
    session.expire_all()  # the queue (immediate in tests) finished it in its own session
    assert session.get(type(foreign), foreign.id).status == "succeeded"
    scene = sb.scenes_of(session, board.id)[0]
    with pytest.raises(ValidationError, match="this storyboard's campaign"):
        sb.choose_frame(session=session, actor=people["creative"], scene_id=scene.id,
                        generation_id=foreign.id)  # fmt: skip
    session.rollback()
    assert sb.scenes_of(session, board.id)[0].frame_id is None


def test_a_fresh_storyboard_honours_its_brief_and_edits_that_depart_are_flagged(
    session, people, board
):
    def warnings():
        return sb.brief_warnings(session=session, actor=people["reviewer"], storyboard_id=board.id)

    assert warnings() == []
    creative = people["creative"]
    *_, product, end_card = sb.scenes_of(session, board.id)
    sb.update_scene(session=session, actor=creative, scene_id=product.id,
                    duration_s=product.duration_s + 4)  # fmt: skip
    assert warnings() == ["The scenes add up to 34 s; the brief asks for 30 s."]
    sb.delete_scene(session=session, actor=creative, scene_id=end_card.id)
    found = warnings()
    assert "The brief asks for a logo end card; the last scene is not one." in found
    assert any("mandatory: “Logo end card" in w for w in found)


def test_a_saved_brief_makes_its_storyboard_later(session, people, campaign):
    creative = people["creative"]
    brief = sb.save_brief(session=session, actor=creative, campaign_id=campaign.id,
                          fields=SHORT_FIELDS, raw_text="text", filename="b.md")  # fmt: skip
    session.commit()
    assert [b.id for b in sb.list_briefs(session=session, actor=creative, campaign_id=campaign.id)
            ] == [brief.id]  # fmt: skip
    board = sb.storyboard_from_brief(session=session, actor=creative, brief_id=brief.id)
    assert board.brief_id == brief.id and len(session.exec(select(Brief)).all()) == 1
    assert sum(s.duration_s for s in sb.scenes_of(session, board.id)) == 6
    with pytest.raises(PermissionDenied):
        sb.save_brief(session=session, actor=people["reviewer"], campaign_id=campaign.id,
                      fields=SHORT_FIELDS)  # fmt: skip


def test_scene_text_too_long_for_a_prompt_is_refused_where_it_is_typed(session, people, board):
    scenes_before = len(sb.scenes_of(session, board.id))
    scene = sb.scenes_of(session, board.id)[0]
    before = scene.description
    with pytest.raises(ValidationError, match=r"^Scene 1 .*clip's prompt would be 2,0\d\d char"):
        sb.update_scene(session=session, actor=people["creative"], scene_id=scene.id,
                        description="A can on a beach. " * 112)  # fmt: skip
    session.refresh(scene)
    assert scene.description == before
    with pytest.raises(ValidationError, match="frame's prompt would be"):
        sb.add_scene(session=session, actor=people["creative"], storyboard_id=board.id,
                     title="Long", image_prompt="x" * 2001)  # fmt: skip
    assert len(sb.scenes_of(session, board.id)) == scenes_before


def test_the_later_of_two_edits_from_one_version_is_refused_and_told_who(session, people, board):
    """Two people opened scene 1 at version 1; the first to save wins, the second is told who
    changed it and when, and their text is not written over the first's."""
    carl = make_user(session, people["admin"], "carl")
    scene_id = sb.scenes_of(session, board.id)[0].id
    session.commit()
    with session_scope() as first, session_scope() as second:
        assert [sb.scenes_of(s, board.id)[0].version for s in (first, second)] == [1, 1]
        sb.update_scene(session=first, actor=people["creative"], scene_id=scene_id,
                        expected_version=1, description="Cleo's take")  # fmt: skip
        first.commit()
        with pytest.raises(Conflict) as refused:
            sb.update_scene(session=second, actor=carl, scene_id=scene_id, expected_version=1,
                            description="Carl's take")  # fmt: skip
        second.rollback()
    assert re.fullmatch(
        r"This scene was changed by cleo at \d\d:\d\d UTC while you were editing; your text "
        r"is kept below — re-apply it\.",
        str(refused.value),
    )
    session.expire_all()
    saved = sb.scenes_of(session, board.id)[0]
    assert (saved.description, saved.version) == ("Cleo's take", 2)
    # Re-applied from the version now saved, Carl's text gets through.
    sb.update_scene(session=session, actor=carl, scene_id=scene_id, expected_version=2,
                    description="Carl's take")  # fmt: skip
    assert (saved.description, saved.version, saved.updated_by) == ("Carl's take", 3, carl.id)


def test_each_edit_of_a_scene_counts_a_version_a_move_does_not(session, people, board):
    creative = people["creative"]
    first, second, *_ = sb.scenes_of(session, board.id)
    assert first.version == 1
    sb.update_scene(session=session, actor=creative, scene_id=first.id, title="Open")
    sb.split_scene(session=session, actor=creative, scene_id=first.id)
    assert first.version == 3 and first.updated_by == creative.id
    sb.move_scene(session=session, actor=creative, scene_id=second.id, position=0)
    session.expire_all()
    assert [s.version for s in sb.scenes_of(session, board.id)][:3] == [1, 3, 1]
    with pytest.raises(Conflict, match="changed by cleo"):
        sb.update_scene(session=session, actor=creative, scene_id=first.id, expected_version=2,
                        title="From an old tab")  # fmt: skip


def test_an_edit_of_a_scene_deleted_meanwhile_says_so(session, people, board):
    creative = people["creative"]
    scene = sb.scenes_of(session, board.id)[-1]
    sb.delete_scene(session=session, actor=creative, scene_id=scene.id)
    with pytest.raises(Conflict, match="deleted while you were editing; your text is kept"):
        sb.update_scene(session=session, actor=creative, scene_id=scene.id, expected_version=1,
                        title="Too late")  # fmt: skip
