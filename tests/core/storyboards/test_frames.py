"""Frames per scene: generate all, regenerate one, choose among variants; what they do to the
review and to the render."""

import pytest
from sqlmodel import select

from core.errors import Conflict, PermissionDenied, ValidationError
from core.generation import service as gen
from core.models import Generation, Storyboard
from core.storyboards import editing as sb
from core.storyboards import final_ad, frames, reviews
from tests.utils.factories import SHORT_FIELDS, approve_storyboard, make_storyboard


@pytest.fixture
def board(session, people, campaign):
    return make_storyboard(session, people["creative"], campaign, SHORT_FIELDS)


def _generations(session) -> list[Generation]:
    session.expire_all()
    return list(session.exec(select(Generation)))


def test_generate_all_makes_one_finished_frame_per_scene(session, people, board):
    rows, warning = frames.generate_frames(
        session=session, actor=people["creative"], storyboard_id=board.id
    )
    scenes = sb.scenes_of(session, board.id)
    assert warning is None and len(rows) == len(scenes) == 2  # a hook, the end card
    session.expire_all()
    found = frames.frames_of(session=session, actor=people["reviewer"], storyboard_id=board.id)
    for scene in scenes:
        [frame] = found[scene.id]
        assert (frame.status, frame.kind, frame.prompt) == (
            "succeeded",
            "image",
            scene.image_prompt,
        )
        assert frame.params["aspect_ratio"] == "16:9" and frame.width > frame.height
        assert frames.current_frame(scene, found[scene.id]).id == frame.id
    assert len({r.chain_id for r in rows}) == 1 and rows[0].chain_id is None  # separate jobs


def test_regenerate_one_scene_adds_distinct_variants_only_there(session, people, board):
    creative = people["creative"]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    first, second = sb.scenes_of(session, board.id)
    rows, _ = frames.generate_frames(
        session=session, actor=creative, storyboard_id=board.id, scene_id=second.id, variants=2
    )
    assert {r.scene_id for r in rows} == {second.id}
    session.expire_all()
    found = frames.frames_of(session=session, actor=creative, storyboard_id=board.id)
    assert len(found[first.id]) == 1 and len(found[second.id]) == 3
    assert len({v.media_sha256 for v in found[second.id]}) == 3  # new seeds, new pictures
    assert frames.current_frame(second, found[second.id]).id == found[second.id][0].id


def test_a_chosen_variant_is_kept_and_the_render_starts_from_it(session, people, board):
    creative = people["creative"]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id, variants=2)
    scene = sb.scenes_of(session, board.id)[0]
    older = frames.frames_of(session=session, actor=creative, storyboard_id=board.id)[scene.id][-1]
    frames.choose_variant(
        session=session, actor=creative, scene_id=scene.id, generation_id=older.id
    )
    session.commit()
    variants = frames.frames_of(session=session, actor=creative, storyboard_id=board.id)[scene.id]
    assert frames.current_frame(scene, variants).id == older.id
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.plan_render(session=session, actor=creative, storyboard_id=board.id)
    clip = next(r for r in plan.steps if r.kind == "video" and r.scene_id == scene.id)
    assert clip.parent_id == older.id
    assert not [r for r in plan.steps if r.kind == "image"]  # every scene already has a frame


def test_a_frame_of_another_scene_cannot_be_chosen(session, people, board):
    creative = people["creative"]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    first, second = sb.scenes_of(session, board.id)
    other = frames.frames_of(session=session, actor=creative, storyboard_id=board.id)[second.id][0]
    with pytest.raises(ValidationError, match="this scene's own frames"):
        frames.choose_variant(
            session=session, actor=creative, scene_id=first.id, generation_id=other.id
        )


def test_frames_are_refused_under_review_and_send_an_approved_board_back(session, people, board):
    creative = people["creative"]
    reviews.submit(session=session, actor=creative, storyboard_id=board.id)
    session.commit()
    with pytest.raises(Conflict, match="under review"):
        frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    session.rollback()
    assert _generations(session) == []
    reviews.approve(session=session, actor=people["reviewer"], storyboard_id=board.id)
    session.commit()
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    session.expire_all()
    assert session.get(Storyboard, board.id).status == "draft"


def test_reviewers_and_unavailable_models_are_refused_before_anything_is_made(
    session, people, board
):
    with pytest.raises(PermissionDenied):
        frames.generate_frames(session=session, actor=people["reviewer"], storyboard_id=board.id)
    with pytest.raises(ValidationError, match="REPLICATE_API_TOKEN"):
        frames.generate_frames(session=session, actor=people["creative"], storyboard_id=board.id,
                               model="google/nano-banana")  # fmt: skip
    with pytest.raises(ValidationError, match="variants"):
        frames.generate_frames(session=session, actor=people["creative"], storyboard_id=board.id,
                               variants=9)  # fmt: skip
    session.rollback()
    assert _generations(session) == []


def test_deleting_a_chosen_frame_in_the_gallery_sends_an_approved_board_back(
    session, people, board
):
    creative = people["creative"]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    session.expire_all()
    scene = sb.scenes_of(session, board.id)[0]
    [frame] = frames.frames_of(session=session, actor=creative, storyboard_id=board.id)[scene.id]
    frames.choose_variant(session=session, actor=creative, scene_id=scene.id,
                          generation_id=frame.id)  # fmt: skip
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    gen.delete(session=session, actor=creative, generation_id=frame.id)
    session.expire_all()
    assert sb.scenes_of(session, board.id)[0].frame_id is None
    assert session.get(Storyboard, board.id).status == "draft"  # what it renders changed


def _off_ratio(session, actor, board) -> list[int]:
    found = frames.frames_of(session=session, actor=actor, storyboard_id=board.id)
    now = session.get(Storyboard, board.id)
    return frames.off_ratio(now, sb.scenes_of(session, board.id), found)


def test_frames_made_before_the_ratio_changed_are_named(session, people, board):
    creative = people["creative"]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id)
    session.expire_all()
    assert _off_ratio(session, creative, board) == []
    sb.update_storyboard(session=session, actor=creative, storyboard_id=board.id,
                         aspect_ratio="9:16")  # fmt: skip
    off = _off_ratio(session, creative, board)
    assert off == [1, 2]
    first = sb.scenes_of(session, board.id)[0]
    frames.generate_frames(session=session, actor=creative, storyboard_id=board.id,
                           scene_id=first.id)  # fmt: skip
    session.expire_all()
    assert _off_ratio(session, creative, board) == [2]
