"""Paid work is never lost or doubled: once a prediction exists, faults in combination and over
time (429s, 5xx, an outage of every route, a stalled download, outputs already deleted) only delay
it; each case ends with one prediction and the row succeeded, or failed with the prediction's own
reason."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from core import catalog
from core.config import reset_settings
from core.db import get_engine
from core.generation import service as gen
from core.models import Generation, utcnow
from core.providers.base import JobSpec, Pending
from core.providers.replicate import ReplicateProvider
from tests.integration.driving import drive, row, rows, step, submit_image

GEN = Generation.__table__
MODEL = "google/nano-banana"


def _until_final(*ids: str, within_s: float = 30.0) -> list[Generation]:
    """Step the rows as the queue would, in real time, until they end (a timed outage passes)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        current = rows(*ids)
        if all(r.status in ("succeeded", "failed", "canceled") for r in current):
            return current
        for r in current:
            step(r.id)
        time.sleep(0.05)
    raise AssertionError(f"still open: {[r.status for r in rows(*ids)]}")


def test_create_429s_then_poll_500s_and_503s_end_in_one_stored_image(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.inject("create", status=429, detail="Request was throttled.", times=2)
    image = submit_image(session, people, campaign)
    for _ in range(2):
        step(image.id)  # the two creates refused; the third goes through
    assert row(image.id).prediction_id in fake.predictions
    fake.inject("get", status=500, detail="Internal server error", times=2)
    fake.inject("get", status=503, detail="Service unavailable", times=2)
    seen = []
    for _ in range(4):
        step(image.id)
        seen.append(row(image.id).error)
    assert [e.split(":")[0] for e in seen] == [
        f"Replicate unreachable, retrying ({n})" for n in (1, 2, 3, 4)
    ]
    assert row(image.id).status == "running"
    (done,) = drive(image.id)
    assert done.status == "succeeded" and done.error is None and done.unreachable_count == 0
    assert len(fake.creates) == 1 and done.attempts == 3  # the create's own budget: 3 tries
    assert done.media_path and done.cost_usd > 0


def test_a_short_api_outage_on_a_running_prediction_loses_nothing(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.polls_before_success = 2
    image = submit_image(session, people, campaign)
    fake.inject("get", status=500, times=6)
    fake.inject("get", status=503, times=6)
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert len(fake.creates) == 1 and done.attempts == 1


def test_polls_refused_with_429_wait_as_long_as_replicate_asks(replicate_env, session, people,
                                                               campaign):  # fmt: skip
    fake = replicate_env
    image = submit_image(session, people, campaign)
    fake.inject("get", status=429, headers={"Retry-After": "7"}, times=3)
    current = row(image.id)
    job = JobSpec(
        generation_id=current.id, kind="image", model=catalog.get_model(MODEL), params={},
        prompt="", negative_prompt="", palette=[], seed=1, workdir=Path("."),
        prediction_id=current.prediction_id, prediction_created_at=utcnow(),
    )  # fmt: skip
    outcome = ReplicateProvider().step(job, lambda _id: True)
    assert isinstance(outcome, Pending) and outcome.poll_after_s == 7
    assert "Replicate unreachable, retrying (1)" in outcome.unreachable
    assert "429" in outcome.unreachable


def test_an_outage_of_every_route_fails_none_of_four_jobs_in_flight(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.polls_before_success = 2
    images = [submit_image(session, people, campaign) for _ in range(4)]
    assert all(row(i.id).prediction_id in fake.predictions for i in images)
    fake.outage(2.0)
    done = _until_final(*(i.id for i in images))
    assert [d.status for d in done] == ["succeeded"] * 4, [d.error for d in done]
    assert len(fake.creates) == len(fake.predictions) == 4
    unreachable = [s for s in fake.calls if s[2] == 503]
    assert unreachable  # the outage was met, and waited out


def test_a_stalled_download_is_fetched_again_from_the_same_prediction(
    replicate_env, session, people, campaign, monkeypatch
):
    fake = replicate_env
    monkeypatch.setenv("STUDIO_REPLICATE_TIMEOUT_S", "0.3")
    reset_settings()
    fake.inject("download", hang_s=1.0, times=3)  # every try of one fetch stalls past the timeout
    image = submit_image(session, people, campaign)
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert len(fake.creates) == 1 and len(fake.download_auth) >= 4  # downloads begun


def test_an_output_replicate_already_deleted_says_so_and_is_still_counted(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.output_removed = True
    image = submit_image(session, people, campaign)
    (done,) = drive(image.id)
    assert done.status == "failed"
    assert "no longer has its output" in done.error and "billed" in done.error
    assert done.cost_usd == catalog.actual_cost(catalog.get_model(MODEL), done.params)
    assert done.media_path is None and len(fake.creates) == 1


def test_unreachable_past_the_prediction_timeout_ends_the_row(
    replicate_env, session, people, campaign, monkeypatch
):
    fake = replicate_env
    monkeypatch.setenv("STUDIO_PREDICTION_TIMEOUT_S", "60")
    reset_settings()
    fake.script.polls_before_success = 100
    image = submit_image(session, people, campaign)
    with get_engine().begin() as conn:  # created 61 s ago, and Replicate down since
        conn.execute(sa.update(GEN).where(GEN.c.id == image.id)
                     .values(prediction_created_at=utcnow() - timedelta(seconds=61)))  # fmt: skip
    fake.outage(30)
    step(image.id)
    done = row(image.id)
    assert done.status == "failed" and "past its 1 min limit" in done.error
    assert len(fake.creates) == 1


def test_retry_of_a_row_whose_prediction_succeeded_stores_it_without_paying_again(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    image = submit_image(session, people, campaign)
    with get_engine().begin() as conn:  # as an earlier version left such rows: failed while
        conn.execute(sa.update(GEN).where(GEN.c.id == image.id)  # its prediction went on
                     .values(status="failed", error="Replicate is unavailable (HTTP 500)",
                             claim_token=None))  # fmt: skip
    session.expire_all()
    assert "no new cost" in gen.retry_quote(row(image.id))
    retried = gen.retry(session=session, actor=people["creative"], generation_id=image.id)
    assert "no new cost" in gen.retry_note(retried)
    (done,) = drive(image.id)
    assert done.status == "succeeded" and done.media_path
    assert len(fake.creates) == 1


def test_retry_of_a_row_whose_prediction_failed_creates_a_new_one(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.fail_with = "CUDA out of memory"
    image = submit_image(session, people, campaign)
    (failed,) = drive(image.id)
    assert failed.status == "failed" and "CUDA out of memory" in failed.error
    fake.script.fail_with = None
    session.expire_all()
    retried = gen.retry(session=session, actor=people["creative"], generation_id=image.id)
    assert retried.prediction_id is None and gen.retry_note(retried) == ""
    (done,) = drive(image.id)
    assert done.status == "succeeded" and len(fake.creates) == 2


def test_retry_refuses_while_replicate_cannot_say_what_became_of_the_prediction(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    image = submit_image(session, people, campaign)
    with get_engine().begin() as conn:
        conn.execute(sa.update(GEN).where(GEN.c.id == image.id)
                     .values(status="failed", claim_token=None))  # fmt: skip
    session.expire_all()
    fake.outage(30)
    try:
        gen.retry(session=session, actor=people["creative"], generation_id=image.id)
    except Exception as refused:
        assert "try again in a minute" in str(refused)
    else:
        raise AssertionError("retry went ahead without knowing the prediction's state")
    session.expire_all()
    assert row(image.id).status == "failed" and len(fake.creates) == 1
