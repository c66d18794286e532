"""A failed clip of a paid render is retried alone and the render completes, no other step made
again (the render's graph itself: tests/core/storyboards/test_render_graph.py)."""

from __future__ import annotations

from sqlmodel import select

from core.generation import service as gen
from core.models import Generation
from core.storyboards import editing as sb
from core.storyboards import final_ad
from tests.integration.driving import drive, rows, step
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


def test_cancelling_a_render_cancels_its_predictions_and_resuming_pays_only_for_the_rest(
    replicate_env, session, people, campaign
):
    fake, creative = replicate_env, people["creative"]
    board = _approved(session, people, campaign)
    plan = _render(session, people, board)
    ids = [s.id for s in plan.steps]
    made_first = [s.id for s in plan.steps if s.kind in ("image", "audio")]
    fake.script.polls_by_model[SEEDANCE] = 1000  # the clips' predictions keep processing
    drive(*made_first)  # frames and music done; each clip starts as its frame is ready
    clips = [s.id for s in plan.steps if s.kind == "video"]
    for clip in clips:
        step(clip)
    in_flight = {r.prediction_id for r in rows(*clips)}
    assert len(in_flight) == len(clips) and all(in_flight)
    session.expire_all()
    final_ad.cancel_render(session=session, actor=creative, composite_id=plan.composites[0].id)
    after = {r.id: r for r in rows(*ids)}
    assert {after[i].status for i in made_first} == {"succeeded"}  # kept
    assert {after[i].status for i in clips} == {"canceled"}
    assert after[plan.composites[0].id].status == "canceled"
    assert {p.id for p in fake.predictions.values() if p.status == "canceled"} == in_flight
    kept = {i: after[i].prediction_id for i in made_first}
    fake.script.polls_by_model.clear()
    creates = len(fake.creates)
    session.expire_all()
    resumed = final_ad.resume_render(session=session, actor=creative,
                                     composite_id=plan.composites[0].id)  # fmt: skip
    assert {r.id for r in resumed} == set(clips)  # the final ad waits on them again
    done = drive(*ids)
    assert all(r.status == "succeeded" for r in done), [(r.kind, r.error) for r in done]
    assert len(fake.creates) == creates + len(clips)  # only the canceled clips made again
    assert {r.id: r.prediction_id for r in done if r.id in kept} == kept
