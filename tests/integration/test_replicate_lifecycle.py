"""A prediction's life: created once and its id stored at once, polled until final, failed or
canceled at Replicate, over its time limit, canceled by a user, and never created twice."""

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import sqlalchemy as sa

from core import catalog, jobs
from core.db import get_engine, session_scope
from core.generation import service as gen
from core.jobs import worker
from core.models import Generation
from core.providers import replicate_latency
from core.providers.base import JobSpec, Pending
from core.providers.replicate import (
    ReplicateProvider,
    next_poll_delay,
    poll_interval,
)
from core.providers.replicate_http import get_client
from tests.integration.driving import drive, row, submit_image
from tests.integration.fake_replicate import TOKEN
from tests.utils.processes import core_worker, wait_until

GEN = Generation.__table__
MODEL = "google/nano-banana"


def test_the_id_is_stored_at_create_and_polls_run_until_success(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.polls_before_success = 3
    image = submit_image(session, people, campaign)
    created = row(image.id)  # the create ran inside submit (immediate queue); no poll yet
    assert created.status == "running" and created.prediction_id in fake.predictions
    assert fake.count("GET", "/v1/predictions/") == 0
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert fake.count("GET", "/v1/predictions/") == 3
    assert (fake.create_calls, done.attempts) == (1, 1)


def test_poll_interval_grows_with_the_prediction_age(monkeypatch):
    from core.config import reset_settings

    monkeypatch.setenv("STUDIO_POLL_INTERVAL_S", "1")
    reset_settings()
    ages = (0, 9, 30, 120, 600, 3000)
    assert [poll_interval(age) for age in ages] == [1, 1, 2, 5, 10, 10]
    monkeypatch.setenv("STUDIO_WEBHOOK_URL", "https://studio.example.com/webhooks/replicate")
    reset_settings()  # webhooks say when it ends: polling is only the fallback
    assert [poll_interval(age) for age in ages] == [5, 5, 10, 25, 50, 50]


def test_polls_keep_to_the_predictions_clock_so_a_late_poll_does_not_delay_the_next():
    # On time: every second of the prediction's age.
    assert next_poll_delay(0.02, 1.0) == pytest.approx(0.98)
    assert next_poll_delay(1.0, 1.0) == pytest.approx(1.0)
    # Run half a second late (busy workers): the next one is still at 2 s, not at 2.5 s.
    assert next_poll_delay(1.5, 1.0) == pytest.approx(0.5)
    # Never two polls within a fifth of an interval: just before 2 s, the next is at 3 s.
    assert next_poll_delay(1.9, 1.0) == pytest.approx(1.1)
    assert next_poll_delay(31.0, 2.0) == pytest.approx(1.0)  # older: every 2 s, at 32 s


def test_a_poll_is_moved_to_just_after_the_time_the_models_predictions_take():
    replicate_latency.forget()
    model = "google/nano-banana"
    assert replicate_latency.aligned_delay(model, 1.0, 1.0) is None  # nothing learned yet
    replicate_latency.observe(model, "2026-11-25T10:00:00.000Z", "2026-11-25T10:00:02.000Z")
    replicate_latency.observe(model, "2026-11-25T10:01:00.000Z", "2026-11-25T10:01:04.000Z")
    usual = replicate_latency.usual(model)  # moving averages of the time and of the spread
    assert (usual.seconds, usual.spread) == (pytest.approx(2.6), pytest.approx(0.6))
    # A second old, the next poll waits for the usual end (2.6 s + 0.6 s spread + 0.05 s).
    assert replicate_latency.aligned_delay(model, 1.0, 1.0) == pytest.approx(2.25)
    # Never put off by more than 2.5 intervals after the last poll, nor once the usual time
    # has passed.
    assert replicate_latency.aligned_delay(model, 0.1, 1.0) is None
    assert replicate_latency.aligned_delay(model, 1.0, 1.0, since_poll_s=0.5) is None
    assert replicate_latency.aligned_delay(model, 3.5, 1.0) is None
    assert replicate_latency.aligned_delay("kwaivgi/kling-v2.1", 1.0, 1.0) is None
    replicate_latency.forget()


def test_a_running_prediction_is_next_polled_when_the_models_predictions_usually_end(
    replicate_env, session, people, campaign, monkeypatch
):
    from core.config import reset_settings

    replicate_env.script.latency_s = 60  # it stays processing
    image = submit_image(session, people, campaign)
    prediction = get_client().predictions.get(row(image.id).prediction_id)
    job = SimpleNamespace(model=catalog.get_model("google/nano-banana"), generation_id=image.id)
    monkeypatch.setenv("STUDIO_POLL_INTERVAL_S", "1")
    reset_settings()
    assert 0.5 < ReplicateProvider()._settle(job, prediction).poll_after_s <= 1.0
    # The model's predictions have been taking 2 s: the next poll is just after that.
    replicate_latency.observe(job.model.id, "2026-11-25T10:00:00Z", "2026-11-25T10:00:02Z")
    assert 1.5 < ReplicateProvider()._settle(job, prediction).poll_after_s <= 2.05
    # With webhooks the delivery says when it ends; polls stay the sparse fallback.
    monkeypatch.setenv("STUDIO_WEBHOOK_URL", "https://studio.example.com/webhooks/replicate")
    reset_settings()
    assert 4.5 < ReplicateProvider()._settle(job, prediction).poll_after_s <= 5.0


def _poll_due(image_id: str) -> JobSpec:
    current = row(image_id)
    return JobSpec(
        generation_id=current.id, kind="image", model=catalog.get_model(current.model),
        params={}, prompt="", negative_prompt="", palette=[], seed=1, workdir=Path("."),
        prediction_id=current.prediction_id,
    )  # fmt: skip


@pytest.fixture
def running_image(replicate_env, session, people, campaign, monkeypatch):
    """A nano-banana prediction just created, which stays processing; polls every second."""
    from core.config import reset_settings

    replicate_env.script.latency_s = 60
    monkeypatch.setenv("STUDIO_POLL_INTERVAL_S", "1")
    reset_settings()
    return submit_image(session, people, campaign)


def _gets(fake) -> int:
    return fake.count("GET", "/v1/predictions/")


def _poll(image) -> Pending:
    return ReplicateProvider().step(_poll_due(image.id), lambda pid: True)


def _learned(took: str) -> None:
    """Only one prediction of the model has ended, in `took` ("2.4") seconds."""
    replicate_latency.forget()
    replicate_latency.observe(MODEL, "2026-11-25T10:00:00Z", f"2026-11-25T10:00:{took}Z")


def test_a_poll_due_before_the_models_usual_end_waits_for_it_without_a_request(
    replicate_env, running_image
):
    """A burst submitted before any prediction of the model ended: their first polls were
    scheduled knowing nothing; by the time they fall due the model is known to take 2 s."""
    fake, image = replicate_env, running_image  # created: its first poll is due in 1 s
    replicate_latency.observe(MODEL, "2026-11-25T10:00:00Z", "2026-11-25T10:00:02Z")
    gets = _gets(fake)
    moved = _poll(image)
    assert isinstance(moved, Pending) and 1.9 < moved.poll_after_s <= 2.05
    assert _gets(fake) == gets  # no request spent
    # A process that did not see the prediction created (a restart) polls it as before.
    replicate_latency.forget_answer(row(image.id).prediction_id)
    assert isinstance(_poll(image), Pending) and _gets(fake) == gets + 1
    # So does one whose model's usual end is far off (more than 2.5 intervals after the last
    # poll): an unknown end is polled on the interval.
    replicate_latency.observe(MODEL, "2026-11-25T10:00:00Z", "2026-11-25T10:01:00Z")
    _poll(image)
    assert _gets(fake) == gets + 2


def test_a_moved_poll_never_waits_past_stretch_intervals_nor_trusts_a_clock_behind(
    replicate_env, running_image
):
    fake, image = replicate_env, running_image
    pid = row(image.id).prediction_id
    gets = _gets(fake)

    def answered_2_s_ago() -> None:
        two_s_ago = (datetime.now(UTC) - timedelta(seconds=2)).isoformat()
        replicate_latency.note_answer(pid, two_s_ago, ago_s=2)

    # Last answered 2 s ago: a usual end 0.45 s ahead puts the poll 2.45 s after that answer
    # (allowed), one 1 s ahead at 3 s (not: 2.5 intervals at most, so it polls now).
    _learned("02.4")
    answered_2_s_ago()
    moved = _poll(image)
    assert isinstance(moved, Pending) and 0.3 < moved.poll_after_s <= 0.45
    assert _gets(fake) == gets
    _learned("02.95")
    answered_2_s_ago()
    _poll(image)
    assert _gets(fake) == gets + 1
    # Our clock behind Replicate's: the prediction looks created in the future (the age says
    # nothing, and the wait would grow with the gap): poll.
    _learned("02")
    replicate_latency.note_answer(pid, (datetime.now(UTC) + timedelta(seconds=0.3)).isoformat())
    _poll(image)
    assert _gets(fake) == gets + 2


def test_a_failed_prediction_fails_with_replicates_error_and_is_not_retried(
    replicate_env, session, people, campaign
):
    replicate_env.script.fail_with = "CUDA out of memory: tried to allocate 2.00 GiB"
    (done,) = drive(submit_image(session, people, campaign).id)
    assert done.status == "failed"
    assert "CUDA out of memory: tried to allocate 2.00 GiB" in done.error
    assert (replicate_env.create_calls, done.attempts) == (1, 1)


def test_a_prediction_canceled_at_replicate_fails_the_row(replicate_env, session, people, campaign):
    fake = replicate_env
    fake.script.polls_before_success = 100
    image = submit_image(session, people, campaign)
    pid = row(image.id).prediction_id
    headers = {"Authorization": f"Bearer {TOKEN}"}
    httpx.post(f"{fake.base_url}/v1/predictions/{pid}/cancel", headers=headers).raise_for_status()
    (done,) = drive(image.id)
    assert done.status == "failed" and "canceled" in done.error


def test_over_the_time_limit_it_is_canceled_at_replicate_and_fails(
    replicate_env, session, people, campaign, monkeypatch
):
    from core.config import reset_settings

    fake = replicate_env
    fake.script.latency_s = 60
    monkeypatch.setenv("STUDIO_PREDICTION_TIMEOUT_S", "0.3")
    reset_settings()
    image = submit_image(session, people, campaign)
    time.sleep(0.35)
    (done,) = drive(image.id)
    assert done.status == "failed" and "canceled it at Replicate" in done.error
    assert fake.predictions[done.prediction_id].status == "canceled"


def test_a_user_cancel_cancels_the_prediction_at_replicate(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.polls_before_success = 100
    image = submit_image(session, people, campaign)
    token = row(image.id).claim_token
    session.expire_all()  # a fresh request, as the UI makes it
    gen.cancel(session=session, actor=people["creative"], generation_id=image.id)
    pid = row(image.id).prediction_id
    assert fake.predictions[pid].status == "canceled"
    gets = fake.count("GET", "/v1/predictions/")
    worker.run_step(image.id, token)  # the poll that was already scheduled: a no-op now
    assert fake.count("GET", "/v1/predictions/") == gets
    assert row(image.id).status == "canceled"


def test_a_cancel_during_the_create_cancels_the_new_prediction(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.inject("create", hang_s=0.5)
    thread = threading.Thread(target=submit_image, args=(session, people, campaign))
    thread.start()
    gen_id = wait_until(_marked_row, timeout=5, every=0.01, what="a row marked 'creating'")
    with session_scope() as other:  # the user, in another request
        gen.cancel(session=other, actor=people["admin"], generation_id=gen_id)
    thread.join(10)
    (pred,) = fake.predictions.values()
    assert pred.status == "canceled"
    assert row(gen_id).status == "canceled"


def _marked_row() -> str | None:
    with get_engine().connect() as conn:
        found = conn.execute(
            sa.select(GEN.c.id).where(GEN.c.prediction_id.like("creating:%"))
        ).first()
    return found[0] if found else None


def _finished(gen_id: str) -> Generation | None:
    return current if (current := row(gen_id)).status in ("succeeded", "failed") else None


def test_a_lost_create_answer_is_found_on_replicate_and_followed(
    replicate_env, session, people, campaign, monkeypatch
):
    from core.config import reset_settings

    fake = replicate_env
    monkeypatch.setenv("STUDIO_REPLICATE_TIMEOUT_S", "0.3")
    reset_settings()
    fake.inject("create", hang_s=1.0)  # created at "Replicate", but the answer comes too late
    image = submit_image(session, people, campaign)
    running = row(image.id)
    assert running.status == "running" and running.prediction_id.startswith("creating:")
    assert running.error.startswith("Replicate unreachable, retrying (1)")
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert len(fake.creates) == len(fake.predictions) == 1
    assert done.prediction_id == next(iter(fake.predictions))
    assert fake.count("GET", "/v1/predictions") >= 1  # looked up before anything else


def test_a_worker_that_died_mid_create_finds_the_prediction_it_made(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.polls_before_success = 3
    image = submit_image(session, people, campaign)
    made = row(image.id).prediction_id
    # As if the worker died after Replicate made the prediction and before its answer was
    # stored: only the marker is left on the row.
    with get_engine().begin() as conn:
        conn.execute(sa.update(GEN).where(GEN.c.id == image.id)
                     .values(prediction_id=f"creating:{int(time.time()) - 5}"))  # fmt: skip
    _make_stale(image.id, "running")
    assert jobs.reconcile() == 1
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert done.prediction_id == made
    assert fake.create_calls == len(fake.creates) == 1


def test_a_lost_create_never_takes_the_prediction_of_an_identical_request(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.polls_before_success = 3
    lost = submit_image(session, people, campaign)  # the same model, prompt and params
    other = submit_image(session, people, campaign)
    mine, theirs = row(lost.id).prediction_id, row(other.id).prediction_id
    # The first's worker died after its create reached Replicate: only the marker is left. The
    # newest identical prediction on the account is the other request's, which it must skip.
    with get_engine().begin() as conn:
        conn.execute(sa.update(GEN).where(GEN.c.id == lost.id)
                     .values(prediction_id=f"creating:{int(time.time()) - 5}"))  # fmt: skip
    _make_stale(lost.id, "running")
    jobs.reconcile()
    done = {r.id: r for r in drive(lost.id, other.id)}
    assert done[lost.id].prediction_id == mine and done[other.id].prediction_id == theirs
    assert fake.create_calls == len(fake.creates) == 2


def test_a_worker_that_died_mid_create_creates_once_when_replicate_never_got_it(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    image = submit_image(session, people, campaign)
    with get_engine().begin() as conn:
        conn.execute(sa.update(GEN).where(GEN.c.id == image.id)
                     .values(prediction_id=f"creating:{int(time.time()) - 60}"))  # fmt: skip
    fake.predictions.clear()  # Replicate never got that create
    sent = fake.create_calls
    _make_stale(image.id, "running")
    assert jobs.reconcile() == 1
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert fake.create_calls == sent + 1 and done.prediction_id in fake.predictions
    assert fake.count("GET", "/v1/predictions") >= 1  # looked for it before creating


def test_a_restarted_worker_polls_the_stored_prediction(replicate_env, session, people, campaign):
    fake = replicate_env
    fake.script.polls_before_success = 2
    image = submit_image(session, people, campaign)
    _make_stale(image.id, "running")  # its worker died while the prediction ran
    assert jobs.reconcile() == 1
    (done,) = drive(image.id)
    assert done.status == "succeeded", done.error
    assert (fake.create_calls, done.attempts) == (1, 2)


def _make_stale(gen_id: str, status: str) -> None:
    """The row as a dead worker of this host leaves it (pid 999999 does not exist)."""
    import socket

    with get_engine().begin() as conn:
        conn.execute(
            sa.update(GEN).where(GEN.c.id == gen_id)
            .values(status=status, claimed_by=f"{socket.gethostname()}:999999")
        )  # fmt: skip


@pytest.mark.usefixtures("real_queue")
def test_the_sqlite_queue_and_a_consumer_finish_a_prediction(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.latency_s = 0.5
    image = submit_image(session, people, campaign)
    consumer = jobs.start_consumer(workers=2)
    try:
        done = wait_until(lambda: _finished(image.id), timeout=20, every=0.01,
                          what="the image to finish")  # fmt: skip
    finally:
        consumer.stop(graceful=True)
    assert done.status == "succeeded", done.error
    assert fake.create_calls == 1 and fake.count("GET", "/v1/predictions/") >= 1


@pytest.mark.usefixtures("real_queue")
def test_a_worker_killed_mid_prediction_is_replaced_without_a_second_prediction(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.latency_s = 3.0
    image = submit_image(session, people, campaign)  # queued on the SQLite queue; nothing ran yet
    with core_worker() as worker:
        pid = worker.wait_until(
            lambda: (p := row(image.id).prediction_id) and "creating" not in p and p,
            timeout=30, every=0.01, what="the worker to create the prediction",
        )  # fmt: skip
        worker.kill_hard()  # while its prediction is processing at Replicate
    assert row(image.id).status == "running"  # stranded: its worker is gone
    # The restart. Reconcile first: a consumer started first may already run the dead worker's
    # scheduled poll and take the row over, leaving reconcile nothing to find (a race, not a bug).
    assert jobs.reconcile() >= 1
    consumer = jobs.start_consumer(workers=1)
    try:
        done = wait_until(lambda: _finished(image.id), timeout=30, every=0.01,
                          what="the image to finish")  # fmt: skip
    finally:
        consumer.stop(graceful=True)
    assert done.status == "succeeded", done.error
    assert done.prediction_id == pid and done.attempts == 2
    assert fake.create_calls == len(fake.creates) == 1
