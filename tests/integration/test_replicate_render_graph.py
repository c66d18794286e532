"""A failed clip of a paid render is retried alone and the render completes, no other step made
again (the render's graph itself: tests/core/storyboards/test_render_graph.py)."""

from __future__ import annotations

from sqlmodel import select

from core.generation import service as gen
from core.models import Generation
from core.storyboards import editing as sb
from core.storyboards import final_ad
from tests.integration.driving import drive
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


def test_a_failed_clip_is_retried_alone_and_the_render_completes(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    board = _approved(session, people, campaign)
    fake.inject("create", status=422, detail="- input.prompt: flagged", model=SEEDANCE)
    plan = _render(session, people, board)
    ended = drive(*(s.id for s in plan.steps))
    [failed] = [s for s in ended if s.kind == "video" and s.status == "failed"]
    [final] = [s for s in ended if s.kind == "composite"]
    assert final.status == "failed"  # it cannot be made without that clip
    made = {s.id: s.prediction_id for s in ended if s.status == "succeeded"}
    creates = len(fake.creates)
    session.expire_all()
    gen.retry(session=session, actor=people["creative"], generation_id=failed.id)
    done = drive(*(s.id for s in plan.steps))
    assert all(s.status == "succeeded" for s in done), [(s.kind, s.error) for s in done]
    assert {s.model for s in done if s.kind == "image"} == {"google/nano-banana"}  # paid frames
    assert len(fake.creates) == creates + 1  # only the failed clip was made again
    assert {s.id: s.prediction_id for s in done if s.id in made} == made
    assert session.exec(select(Generation).where(Generation.kind == "composite")).all()
