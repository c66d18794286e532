"""A render is a graph: frames, voice lines and music start at once, each clip waits only on its
own frame (with continuity, on the clip before it), the final ad on every clip, line and the
music."""

from __future__ import annotations

import pytest

from core.errors import PermissionDenied
from core.generation import service as gen
from core.jobs import dependents
from core.storyboards import editing as sb
from core.storyboards import final_ad
from tests.integration.driving import row
from tests.utils.factories import approve_storyboard, make_storyboard

SEEDANCE = "bytedance/seedance-1-lite"


def _approved(session, people, campaign, **settings):
    board = make_storyboard(session, people["creative"], campaign)
    if settings:
        sb.update_storyboard(session=session, actor=people["creative"], storyboard_id=board.id,
                             **settings)  # fmt: skip
    return approve_storyboard(session, board, people["creative"], people["reviewer"])


def _render(session, people, board):
    return final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                           video_model=SEEDANCE)  # fmt: skip


def test_frames_and_music_start_at_once_and_each_clip_waits_on_its_own_frame(
    replicate_on, session, people, campaign
):
    board = _approved(session, people, campaign)
    plan = _render(session, people, board)
    kinds = ("image", "video", "audio", "voice")
    by_kind = {k: [s for s in plan.steps if s.kind == k] for k in kinds}
    assert all(row(s.id).status == "queued" for s in by_kind["image"] + by_kind["audio"])
    for frame, clip in zip(by_kind["image"], by_kind["video"], strict=True):
        assert row(clip.id).status == "waiting"
        assert dependents.inputs_of(session, clip.id) == [frame.id]
    [final] = plan.composites
    expected = {s.id for s in by_kind["video"] + by_kind["voice"]} | {by_kind["audio"][0].id}
    assert set(dependents.inputs_of(session, final.id)) == expected


def test_with_continuity_each_clip_waits_on_the_one_before(replicate_on, session, people,
                                                           campaign):  # fmt: skip
    board = _approved(session, people, campaign, continuity=True)
    plan = _render(session, people, board)
    clips = [s for s in plan.steps if s.kind == "video"]
    for earlier, later in zip(clips, clips[1:], strict=False):
        assert dependents.inputs_of(session, later.id) == [earlier.id]
        assert later.parent_id == earlier.id  # its last frame starts the next clip


def test_retrying_one_canceled_step_leaves_the_final_ad_ended_until_all_its_inputs_are_back(
    replicate_on, session, people, campaign
):
    creative = people["creative"]
    board = _approved(session, people, campaign)
    plan = _render(session, people, board)
    [final] = plan.composites
    stopped = final_ad.cancel_render(session=session, actor=creative, composite_id=final.id)
    assert {s.id for s in stopped} == {s.id for s in plan.steps}  # nothing had started
    first_frame = next(s for s in plan.steps if s.kind == "image")
    first_clip = next(s for s in plan.steps if s.kind == "video")
    gen.retry(session=session, actor=creative, generation_id=first_frame.id)
    assert row(first_clip.id).status == "waiting"  # its only input is back
    assert row(final.id).status == "canceled"  # the other clips are not: no wait for ever
    final_ad.resume_render(session=session, actor=creative, composite_id=final.id)
    assert row(final.id).status == "waiting"
    assert {row(s.id).status for s in plan.steps if s.kind in ("image", "audio")} == {"queued"}


def test_only_the_owner_or_an_admin_cancels_a_render(replicate_on, session, people, campaign):
    board = _approved(session, people, campaign)
    [final] = _render(session, people, board).composites
    with pytest.raises(PermissionDenied):
        final_ad.cancel_render(session=session, actor=people["reviewer"], composite_id=final.id)
    assert row(final.id).status == "waiting"
