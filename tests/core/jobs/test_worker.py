"""The real embedded SQLite queue: consumers, cancel while running, and recovery after kill -9."""

import time

from sqlmodel import Session

from core import jobs
from core.db import get_engine
from core.generation import service as gen
from core.media import store
from core.media.ffmpeg import probe
from core.models import Generation
from tests.utils.factories import submit_generation
from tests.utils.processes import Process, core_worker, wait_until


def _row(gen_id: str) -> Generation:
    with Session(get_engine()) as s:
        return s.get(Generation, gen_id)


def _wait(gen_id: str, statuses, timeout=60.0, *, worker: Process | None = None) -> Generation:
    """The row once its status is one of `statuses`; failing at once if `worker` exits."""

    def reached() -> Generation | None:
        row = _row(gen_id)
        return row if row.status in statuses else None

    def what() -> str:
        return f"{gen_id} to be {' or '.join(statuses)} (still {_row(gen_id).status})"

    waiting = wait_until if worker is None else worker.wait_until
    return waiting(reached, timeout=timeout, what=what)


def test_requests_return_at_once_and_the_consumer_finishes_them(
    real_queue, session, people, campaign
):
    rows = [
        submit_generation(session, people["admin"], campaign, params={"seed": i}) for i in range(3)
    ]
    assert {_row(r.id).status for r in rows} == {"queued"}  # nothing ran yet: no consumer
    consumer = jobs.start_consumer(workers=2)
    try:
        done = [_wait(r.id, ("succeeded", "failed")) for r in rows]
    finally:
        consumer.stop(graceful=True)
    assert [d.status for d in done] == ["succeeded"] * 3
    assert len({d.media_sha256 for d in done}) == 3


def test_replicate_clients_that_cannot_be_built_do_not_stop_the_worker_starting(
    real_queue, session, people, campaign, monkeypatch
):
    """The clients are built at start only as a head start: drafts still run."""
    from core.config import reset_settings
    from core.providers import replicate_http

    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_not-a-real-token")
    monkeypatch.setenv("REPLICATE_BASE_URL", "https://api.replicate.com:not-a-port")
    reset_settings()
    replicate_http.reset_clients()
    draft = submit_generation(session, people["admin"], campaign, params={"seed": 1})
    consumer = jobs.start_consumer(workers=1)
    try:
        done = _wait(draft.id, ("succeeded", "failed"))
    finally:
        consumer.stop(graceful=True)
        replicate_http.reset_clients()
    assert done.status == "succeeded", done.error


def test_cancel_while_running_discards_the_output(real_queue, session, people, campaign):
    video = submit_generation(session, people["admin"], campaign, "video",
                              params={"duration": 12, "resolution": "720p"})  # fmt: skip
    consumer = jobs.start_consumer(workers=1)
    try:
        _wait(video.id, ("running",))
        gen.cancel(session=session, actor=people["admin"], generation_id=video.id)
        scratch = store.media_dir() / "tmp"
        deadline = time.monotonic() + 60
        while any(scratch.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)  # the render goes on in the worker until it ends, then is dropped
    finally:
        consumer.stop(graceful=True)
    final = _row(video.id)
    assert final.status == "canceled" and final.media_path is None
    assert not list(store.media_dir().glob("??/*.mp4"))


def test_work_held_by_a_killed_worker_finishes_after_restart(real_queue, session, people, campaign):
    video = submit_generation(session, people["admin"], campaign, "video",
                              params={"duration": 20, "resolution": "720p"})  # fmt: skip
    with core_worker() as worker:
        running = _wait(video.id, ("running",), timeout=60, worker=worker)
        assert running.claimed_by.endswith(f":{worker.pid}")
        worker.kill_hard()
    assert _row(video.id).status == "running"  # stranded: its worker is gone
    consumer = jobs.start_consumer(workers=1)  # "the restart"
    try:
        jobs.reconcile()  # as at start-up (the consumer's periodic pass may get there first)
        final = _wait(video.id, ("succeeded", "failed"), timeout=120)
    finally:
        consumer.stop(graceful=True)
    assert final.status == "succeeded", final.error
    assert final.attempts == 2
    info = probe(store.abs_path(final.media_path))
    assert abs(info.duration_s - 20) <= 0.1 and info.video_codec == "h264"
    assert not any(store.media_dir().joinpath("tmp").iterdir())  # the dead worker's scratch swept
