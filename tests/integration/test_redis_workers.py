"""Workers on separate processes sharing a Redis queue and the run's database: one is killed
mid-job and the other finishes every job, each with the one prediction it was paid for; the
Replicate create pace is shared through Redis."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis
import sqlalchemy as sa

from core import jobs
from core.config import reset_settings
from core.db import get_engine
from core.providers import pacing
from tests.integration.driving import submit_image
from tests.utils.processes import child_env, core_worker

JOBS = 6


@pytest.fixture
def redis_queue(monkeypatch):
    """The run's own Redis index, empty before and after."""
    url = os.environ.get("STUDIO_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    client = redis.Redis.from_url(url)
    client.flushdb()
    monkeypatch.setenv("STUDIO_QUEUE_URL", url)
    reset_settings()
    jobs.reset_queues()
    pacing.reset()
    yield url
    jobs.reset_queues()
    pacing.reset()
    client.flushdb()
    client.close()


def _statuses(ids: list[str]) -> dict[str, tuple[str, str | None]]:
    table = sa.table("generation", sa.column("id"), sa.column("status"),
                     sa.column("prediction_id"))  # fmt: skip
    with get_engine().connect() as conn:
        found = conn.execute(sa.select(table.c.id, table.c.status, table.c.prediction_id)
                             .where(table.c.id.in_(ids))).all()  # fmt: skip
    return {gid: (status, prediction) for gid, status, prediction in found}


def test_a_worker_killed_mid_job_leaves_nothing_lost_or_paid_twice(
    replicate_env, redis_queue, session, people, campaign, monkeypatch
):
    fake = replicate_env
    fake.script.latency_s = 3.0
    monkeypatch.setenv("STUDIO_JOB_LEASE_S", "5")
    monkeypatch.setenv("STUDIO_POLL_INTERVAL_S", "0.3")
    reset_settings()
    ids = [submit_image(session, people, campaign).id for _ in range(JOBS)]
    session.commit()
    with core_worker(workers=2) as doomed:
        doomed.wait_until(
            lambda: sum(1 for s, p in _statuses(ids).values() if s == "running" and p) >= 2,
            timeout=60, what="the first worker to have predictions in flight",
        )  # fmt: skip
        doomed.kill_hard()
    with core_worker(workers=2) as survivor:
        survivor.wait_until(
            lambda: all(s == "succeeded" for s, _ in _statuses(ids).values()),
            timeout=120, what=lambda: f"every job to succeed: {_statuses(ids)}",
        )  # fmt: skip
    predictions = {p for _, p in _statuses(ids).values()}
    assert len(predictions) == JOBS
    assert len(fake.creates) == JOBS  # nothing created twice after the kill


def test_the_replicate_create_pace_is_shared_through_redis(redis_queue, monkeypatch):
    monkeypatch.setenv("STUDIO_REPLICATE_CREATE_LIMIT", "3/minute")
    reset_settings()
    pacing.reset()
    assert [pacing.replicate_create_slot() for _ in range(3)] == [None, None, None]
    other = subprocess.run(  # another worker process, on another machine as far as it knows
        [sys.executable, "-c", "from core.providers import pacing; "
         "print(pacing.replicate_create_slot())"],
        env=child_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert float(other.stdout) > 0  # the 4th create this minute waits, whoever asks
