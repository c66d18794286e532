"""The task queue (huey) and the task that moves a generation through its states.

The database is the source of truth: huey may lose a task it held when its consumer is killed,
so every task only carries an id, claims its row atomically, writes its result only while it
still holds the claim, and a periodic reconcile re-drives anything left unfinished.

Latency (a Replicate poll is a task scheduled a second ahead): huey's scheduler reads its
schedule on a whole-second tick and idle SQLite workers poll the queue with a growing sleep, so a
poll due at t ran at t + up to 1.5 s. Here the scheduler also wakes when a task this process
scheduled falls due, and idle workers also wake when this process enqueues; tasks from other
processes are still seen within the tick (scheduler) or half a second (workers). Scheduled tasks
go straight into huey's (durable) schedule, not through the queue first.
"""

from __future__ import annotations

import heapq
import logging
import os
import random
import secrets
import socket
import threading
import time
from datetime import timedelta

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer, Scheduler
from huey.storage import SqliteStorage
from huey.utils import normalize_time

from core.config import get_settings

log = logging.getLogger(__name__)
_lock = threading.Lock()
_queues: dict[str, tuple[Huey, object]] = {}


def worker_id() -> str:
    # Recomputed: a forked worker process has another pid than the module's importer.
    return f"{socket.gethostname()}:{os.getpid()}"


IDLE_WAIT_S = 0.5  # an idle SQLite worker looks for tasks enqueued by other processes this often
PROMPT_PRIORITY = 10  # huey runs higher first (its SQLite storage; Redis has no priority)
DUE_SLACK_S = 0.005  # wake just after a task's eta, so the schedule read finds it due


class Alarm:
    """When the tasks this process scheduled fall due (monotonic times), for the scheduler."""

    def __init__(self):
        self._cond = threading.Condition()
        self._due: list[float] = []

    def set(self, due: float) -> None:
        with self._cond:
            heapq.heappush(self._due, due)
            if self._due[0] == due:
                self._cond.notify_all()

    def sleep_until(self, deadline: float) -> None:
        """Returns at `deadline` or as soon as a task set here is due, whichever comes first."""
        with self._cond:
            while True:
                now = time.monotonic()
                if self._due and self._due[0] <= now:
                    while self._due and self._due[0] <= now:
                        heapq.heappop(self._due)
                    return
                until = min(deadline, self._due[0]) if self._due else deadline
                if until <= now:
                    return
                self._cond.wait(until - now)


class WakingSqliteStorage(SqliteStorage):
    """huey's SQLite storage whose idle workers wake at once when this process enqueues."""

    blocking = True  # dequeue waits itself (below), so huey's worker does not sleep-poll

    def __init__(self, *args, **kwargs):
        self._work = threading.Condition()
        self._enqueued = 0
        super().__init__(*args, **kwargs)

    def _create_connection(self):
        conn = super()._create_connection()
        # WAL without an fsync per commit, as the studio database: a crash of the process loses
        # nothing, and the rows (not the queue) are the truth that reconcile re-drives from.
        conn.execute("pragma synchronous=NORMAL")
        return conn

    def enqueue(self, data, priority=None):
        super().enqueue(data, priority)
        with self._work:
            self._enqueued += 1
            self._work.notify()

    def dequeue(self):
        seen = self._enqueued
        data = super().dequeue()
        if data is None:
            with self._work:
                if self._enqueued == seen:  # nothing came in meanwhile: wait for it
                    self._work.wait(IDLE_WAIT_S)
        return data


def _make_huey(url: str) -> Huey:
    if url.startswith("redis://") or url.startswith("rediss://"):
        huey = RedisHuey("campaign-studio", url=url, results=False)
    elif url.startswith("memory://"):
        huey = MemoryHuey("campaign-studio", immediate=True, results=False)
    else:
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        huey = SqliteHuey("campaign-studio", filename=path, results=False, timeout=15,
                          storage_class=WakingSqliteStorage)  # fmt: skip
    huey.studio_alarm = Alarm()
    # A canceled generation is ended through its row, never by revoking huey tasks: skip the
    # revocation lookup huey makes in its storage before every task.
    huey.is_revoked = _never_revoked
    return huey


def _never_revoked(task, timestamp=None, peek=True) -> bool:
    return False


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


def enqueue(
    generation_id: str, *, token: str | None = None, delay_s: float = 0,
    delivered: dict | None = None,
) -> None:  # fmt: skip
    """Run a step of the generation now, or after `delay_s`; `delivered` is the prediction a
    verified webhook brought (see runner.run_step)."""
    huey, task = get_queue()
    if delay_s <= 0:
        # Ahead of scheduled polls: a first step (the sooner a prediction exists, the sooner
        # Replicate works on it) or a step woken with news, while a poll held back a moment
        # only notices an end later.
        priority = PROMPT_PRIORITY if huey.storage.priority else None
        args = (generation_id, token) if delivered is None else (generation_id, token, delivered)
        huey.enqueue(task.s(*args, priority=priority))
        return
    # Straight into the durable schedule (huey's `schedule` would enqueue it for a worker to
    # move there), then tell this process's scheduler when it is due.
    scheduled = task.s(generation_id, token)
    scheduled.eta = normalize_time(delay=delay_s, utc=huey.utc)
    huey.add_schedule(scheduled)
    huey.studio_alarm.set(time.monotonic() + delay_s + DUE_SLACK_S)


def reconcile() -> int:
    """Re-drive unfinished generations now (also runs every minute inside the consumer)."""
    from core import runner

    return runner.reconcile()


class PromptScheduler(Scheduler):
    """huey's scheduler, also woken when a task this process scheduled is due (see top)."""

    def __init__(self, huey, stop_flag, interval, periodic):
        super().__init__(huey, stop_flag, interval, periodic)
        self._alarm: Alarm | None = getattr(huey, "studio_alarm", None)
        self._next_tick = time.monotonic()

    def loop(self, now=None):
        try:
            due = self.huey.read_schedule(now)
        except Exception:
            self._logger.exception("Error reading schedule.")
            due = []
        for task in due:
            try:
                self.huey.enqueue(task)
            except Exception:
                self._logger.exception("Error enqueueing %s.", task)
        if self.periodic and self._next_periodic <= time.monotonic():
            while self._next_periodic <= time.monotonic():  # skip ticks missed in a stall
                self._next_periodic += self.periodic_task_seconds
            self.enqueue_periodic_tasks(now)
        current = time.monotonic()
        while self._next_tick <= current:  # woken early by the alarm: the tick stays
            self._next_tick += self.interval
        if self.stop_flag.is_set():
            return
        if self._alarm is None:
            self.stop_flag.wait(self._next_tick - time.monotonic())
        else:
            self._alarm.sleep_until(self._next_tick)


class EmbeddedConsumer(Consumer):
    """A consumer that can run in a server's lifespan or a CLI thread: no signal handlers."""

    scheduler_class = PromptScheduler

    def _set_signal_handlers(self):
        return None


def start_consumer(workers: int | None = None) -> EmbeddedConsumer:
    huey, _ = get_queue()
    # The providers' modules (the replicate client alone takes ~0.5 s of CPU to import) are
    # loaded here, once, in the starting thread: not by the first steps, racing in the workers.
    import core.providers.compose
    import core.providers.local  # noqa: F401
    from core.providers import replicate

    replicate.warm_up()

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
