"""A render is a graph: frames and music start at once, each clip waits only on its own frame
(with continuity, on the clip before it), the final ad on every clip and the music."""

from __future__ import annotations

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
    by_kind = {k: [s for s in plan.steps if s.kind == k] for k in ("image", "video", "audio")}
    assert all(row(s.id).status == "queued" for s in by_kind["image"] + by_kind["audio"])
    for frame, clip in zip(by_kind["image"], by_kind["video"], strict=True):
        assert row(clip.id).status == "waiting"
        assert dependents.inputs_of(session, clip.id) == [frame.id]
    [final] = plan.composites
    expected = {c.id for c in by_kind["video"]} | {by_kind["audio"][0].id}
    assert set(dependents.inputs_of(session, final.id)) == expected


def test_with_continuity_each_clip_waits_on_the_one_before(replicate_on, session, people,
                                                           campaign):  # fmt: skip
    board = _approved(session, people, campaign, continuity=True)
    plan = _render(session, people, board)
    clips = [s for s in plan.steps if s.kind == "video"]
    for earlier, later in zip(clips, clips[1:], strict=False):
        assert dependents.inputs_of(session, later.id) == [earlier.id]
        assert later.parent_id == earlier.id  # its last frame starts the next clip
