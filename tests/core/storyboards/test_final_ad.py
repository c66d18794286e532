"""An approved storyboard becomes one finished ad: scenes in order, music, the CTA, H.264; its
quote first, and which version each render was made from."""

from itertools import pairwise

import pytest
from sqlmodel import select

from core.errors import Conflict, NotFound
from core.media import store
from core.media.ffmpeg import probe
from core.models import Generation
from core.storyboards import editing as sb
from core.storyboards import final_ad
from tests.utils.factories import SHORT_FIELDS, approve_storyboard, make_storyboard


@pytest.fixture
def approved(session, people, campaign):
    board = make_storyboard(session, people["creative"], campaign, SHORT_FIELDS)
    return approve_storyboard(session, board, people["creative"], people["reviewer"])


def _final(session, plan, i=0) -> Generation:
    session.expire_all()
    return session.get(Generation, plan.composites[i].id)


def test_rendering_an_unapproved_storyboard_is_refused(session, people, campaign):
    board = make_storyboard(session, people["creative"], campaign, SHORT_FIELDS)
    with pytest.raises(Conflict, match="Only an approved storyboard can be rendered"):
        final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id)
    assert session.exec(select(Generation)).all() == []


@pytest.mark.parametrize("transition", ["cut", "crossfade"])
def test_the_final_ad_lasts_the_sum_of_its_scenes_with_music(session, people, approved, transition):
    sb.update_storyboard(
        session=session, actor=people["creative"], storyboard_id=approved.id, transition=transition
    )
    approve_storyboard(session, approved, people["creative"], people["reviewer"])
    plan = final_ad.render(
        session=session, actor=people["creative"], storyboard_id=approved.id, resolution="480p"
    )
    final = _final(session, plan)
    assert final.status == "succeeded", final.error
    info = probe(store.abs_path(final.media_path))
    total = sum(s.duration_s for s in sb.scenes_of(session, approved.id))
    assert abs(info.duration_s - total) <= 0.2
    assert (info.video_codec, info.width, info.height) == ("h264", 854, 480)
    assert info.audio_codec == "aac"
    kinds = [session.get(Generation, s.id).kind for s in plan.steps]
    assert kinds.count("video") == len(sb.scenes_of(session, approved.id))
    assert kinds.count("audio") == 1 and kinds[-1] == "composite"
    clips = final.params["clips"]
    assert [session.get(Generation, c).scene_id for c in clips] == [
        s.id for s in sb.scenes_of(session, approved.id)
    ]


def test_other_ratios_on_request_and_continuity(session, people, approved):
    sb.update_storyboard(
        session=session, actor=people["creative"], storyboard_id=approved.id, continuity=True
    )
    approve_storyboard(session, approved, people["creative"], people["admin"])
    plan = final_ad.render(
        session=session,
        actor=people["creative"],
        storyboard_id=approved.id,
        extra_ratios=("16:9", "9:16"),  # its own ratio again: made once, not twice
        resolution="480p",
    )
    assert len(plan.composites) == 2
    wide, tall = _final(session, plan, 0), _final(session, plan, 1)
    assert (wide.width, wide.height, tall.width, tall.height) == (854, 480, 480, 854)
    clips = [session.get(Generation, c) for c in wide.params["clips"]]
    assert all(later.parent_id == earlier.id for earlier, later in pairwise(clips))
    listed = final_ad.renders_of(session=session, actor=people["viewer"], storyboard_id=approved.id)
    assert {r.id for r in listed} == {wide.id, tall.id}
    with pytest.raises(NotFound, match="No storyboard with id sb_x"):
        final_ad.renders_of(session=session, actor=people["viewer"], storyboard_id="sb_x")


def test_a_scene_added_with_only_a_title_still_renders_from_its_title(session, people, campaign):
    board = make_storyboard(session, people["creative"], campaign, SHORT_FIELDS)
    sb.add_scene(session=session, actor=people["creative"], storyboard_id=board.id,
                 title="Logo sting", duration_s=2)  # fmt: skip
    approve_storyboard(session, board, people["creative"], people["reviewer"])
    plan = final_ad.plan_render(session=session, actor=people["creative"], storyboard_id=board.id)
    made_for_it = [s for s in plan.steps if s.prompt == "Logo sting"]
    assert [s.kind for s in made_for_it] == ["image", "video"]  # its frame, then its clip


def _change_and_approve_again(session, people, board, **changes):
    sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                         **changes)  # fmt: skip
    approve_storyboard(session, board, people["creative"], people["reviewer"])


def test_a_render_records_the_version_it_was_made_from(session, people, approved):
    plan = final_ad.plan_render(
        session=session, actor=people["creative"], storyboard_id=approved.id
    )
    [final] = plan.composites
    assert final.params["storyboard_version"] == approved.version == 1
    assert final_ad.made_from(final) == 1 and final_ad.is_current(approved, final)
    _change_and_approve_again(session, people, approved, aspect_ratio="9:16")
    assert approved.version == 2 and approved.status == "approved"
    assert final_ad.made_from(final) == 1 and not final_ad.is_current(approved, final)


def test_a_render_saved_before_versions_were_recorded_counts_only_after_the_last_approval(
    session, people, approved
):
    [final] = final_ad.plan_render(
        session=session, actor=people["creative"], storyboard_id=approved.id
    ).composites
    final.params = {k: v for k, v in final.params.items() if k != "storyboard_version"}
    assert final_ad.made_from(final) is None
    assert final_ad.is_current(approved, final)  # made after the approval it is shown under
    _change_and_approve_again(session, people, approved, transition="crossfade")
    assert not final_ad.is_current(approved, final)


def test_the_render_quote_writes_nothing_and_its_steps_are_the_render(session, people, approved):
    board = approved
    creative = people["creative"]
    quote = final_ad.plan_render(session=session, actor=creative, storyboard_id=board.id,
                               extra_ratios=("9:16",))  # fmt: skip
    session.expire_all()
    assert session.exec(select(Generation)).all() == []
    kinds = [str(r.kind) for r in quote.steps]
    # Per scene its frame, its clip and its voice line; then the music and one ad per ratio.
    assert kinds == ["image", "video", "voice"] * 2 + ["audio", "composite", "composite"]
    done = final_ad.render(session=session, actor=creative, storyboard_id=board.id)
    session.expire_all()
    steps = final_ad.render_steps(
        session=session, actor=creative, composite_id=done.composites[0].id
    )
    assert [s.id for s in steps] == [s.id for s in done.steps]
    assert all(s.status == "succeeded" for s in steps)
