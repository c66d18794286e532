"""The task queue (huey) and the task that moves a generation through its states.

The database is the source of truth: huey may lose a task it held when its consumer is killed,
so every task only carries an id, claims its row atomically, writes its result only while it
still holds the claim, and a periodic reconcile re-drives anything left unfinished.
"""

from __future__ import annotations

import logging
import os
import random
import secrets
import socket
import threading
from datetime import timedelta

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer

from core.config import get_settings

log = logging.getLogger(__name__)
_lock = threading.Lock()
_queues: dict[str, tuple[Huey, object]] = {}


def worker_id() -> str:
    # Recomputed: a forked worker process has another pid than the module's importer.
    return f"{socket.gethostname()}:{os.getpid()}"


def _make_huey(url: str) -> Huey:
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisHuey("campaign-studio", url=url, results=False)
    if url.startswith("memory://"):
        return MemoryHuey("campaign-studio", immediate=True, results=False)
    path = url.removeprefix("sqlite:///")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return SqliteHuey("campaign-studio", filename=path, results=False, timeout=15)


def get_queue() -> tuple[Huey, object]:
    """The huey instance for the configured queue URL and its `process` task."""
    url = get_settings().queue_url
    with _lock:
        if url not in _queues:
            # Imported here, once, in the caller's thread: worker threads importing it lazily
            # would race on a half-initialised module (and runner imports this module).
            from core import runner

            huey = _make_huey(url)
            task = huey.task(name="process_generation")(runner.run_step)
            huey.periodic_task(crontab(minute="*"), name="reconcile")(runner.reconcile)
            _queues[url] = (huey, task)
        return _queues[url]


def enqueue(generation_id: str, *, token: str | None = None, delay_s: float = 0) -> None:
    _, task = get_queue()
    if delay_s > 0:
        task.schedule((generation_id, token), delay=delay_s)
    else:
        task(generation_id, token)


def reconcile() -> int:
    """Re-drive unfinished generations now (also runs every minute inside the consumer)."""
    from core import runner

    return runner.reconcile()


class EmbeddedConsumer(Consumer):
    """A consumer that can run in a server's lifespan or a CLI thread: no signal handlers."""

    def _set_signal_handlers(self):
        return None


def start_consumer(workers: int | None = None) -> EmbeddedConsumer:
    huey, _ = get_queue()
    consumer = EmbeddedConsumer(
        huey,
        workers=workers or get_settings().studio_workers,
        worker_type="thread",
        periodic=True,
        initial_delay=0.02,
        backoff=1.3,
        max_delay=0.5,
        check_worker_health=True,
    )
    consumer.start()
    return consumer


def backoff_delay(attempt: int) -> float:
    """Exponential with jitter, capped: 2, 4, 8 ... 60 s."""
    base = min(60.0, 2.0**attempt)
    return base / 2 + random.uniform(0, base / 2)


def lease() -> timedelta:
    return timedelta(seconds=get_settings().studio_job_lease_s)


def new_token() -> str:
    return secrets.token_hex(8)
