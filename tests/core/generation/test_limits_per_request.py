"""A render, a chain and "frames for every scene" are each one request against a person's limits,
and a batch is queued whole or not at all: nothing is refused half-way."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from core.config import reset_settings
from core.generation import limits
from core.models import Generation
from core.storyboards import editing as sb
from core.storyboards import final_ad, frames
from tests.utils.factories import approve_storyboard, make_storyboard

PAID_IMAGE, PAID_VIDEO = "google/nano-banana", "bytedance/seedance-1-lite"


def _rows(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Generation)).one()


@pytest.fixture
def tight_limits(replicate_on, monkeypatch):
    monkeypatch.setenv("STUDIO_RATE_LIMITS", "image=1/minute;video=1/minute;audio=1/minute")
    reset_settings()


def test_a_render_of_six_paid_scenes_is_one_request(tight_limits, session, people, campaign):
    board = make_storyboard(session, people["creative"], campaign)  # the Spring brief
    board = approve_storyboard(session, board, people["creative"], people["reviewer"])
    scenes = len(sb.scenes_of(session, board.id))
    assert scenes >= 6
    paid_clips = {"video_model": PAID_VIDEO, "image_model": "local/draft-image"}
    plan = final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                           **paid_clips)  # fmt: skip
    clips = [s for s in plan.steps if s.kind == "video"]
    assert len(clips) == scenes and _rows(session) == len(plan.steps)
    with pytest.raises(limits.RateLimited, match="Too many video requests"):
        final_ad.render(session=session, actor=people["creative"], storyboard_id=board.id,
                        **paid_clips)  # fmt: skip
    assert _rows(session) == len(plan.steps)  # the second render took nothing


def test_frames_for_every_scene_are_queued_whole_or_not_at_all(
    tight_limits, session, people, campaign
):
    board = make_storyboard(session, people["creative"], campaign)
    scenes = len(sb.scenes_of(session, board.id))
    rows, _ = frames.generate_frames(
        session=session, actor=people["creative"], storyboard_id=board.id, model=PAID_IMAGE,
        variants=2,
    )  # fmt: skip
    assert len(rows) == 2 * scenes and _rows(session) == 2 * scenes
    assert len({r.chain_id for r in rows}) == 1 and rows[0].chain_id is None  # each its own job
    with pytest.raises(limits.RateLimited):
        frames.generate_frames(session=session, actor=people["creative"],
                               storyboard_id=board.id, model=PAID_IMAGE)  # fmt: skip
    assert _rows(session) == 2 * scenes  # refused whole: not one frame of the second batch
