"""Every extension of huey the studio relies on, in one place, written against huey 3.5.4.

Extended at huey's public seams (subclasses of its storage, scheduler and consumer, and a
revocation override) except where marked COPIED: `PromptScheduler.loop` is huey's own
`Scheduler.loop` with a different sleep at its end, and `WakingSqliteStorage` overrides
`SqliteStorage._create_connection`, a private method. `tests/core/jobs/test_huey_ext.py` fails
when the installed huey is another version or those huey methods change, so an upgrade is
checked here before it can change how the queue behaves.

Why: a Replicate poll is a task scheduled a second ahead. huey's scheduler reads its schedule
on a whole-second tick, and idle SQLite workers poll the queue with a growing sleep, so a poll
due at t would run at up to t + 1.5 s. The scheduler here also wakes when a task this process
scheduled falls due, and idle workers wake when this process enqueues; tasks from other
processes are still seen within the tick (scheduler) or half a second (workers).
"""

from __future__ import annotations

import heapq
import os
import threading
import time
import weakref
from pathlib import Path

from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey
from huey.consumer import Consumer, Scheduler
from huey.storage import SqliteStorage

from core.config import private_data_dir, private_file

HUEY_VERSION = "3.5.4"  # the version the COPIED parts below were written against
IDLE_WAIT_S = 0.5  # an idle SQLite worker looks for tasks enqueued by other processes this often


class Alarm:
    """When the tasks this process scheduled fall due (monotonic times), for the scheduler."""

    def __init__(self) -> None:
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


_alarms: weakref.WeakKeyDictionary[Huey, Alarm] = weakref.WeakKeyDictionary()


def alarm_of(huey: Huey) -> Alarm:
    """The alarm this process's scheduler for `huey` sleeps on."""
    alarm = _alarms.get(huey)
    if alarm is None:
        alarm = _alarms.setdefault(huey, Alarm())
    return alarm


class WakingSqliteStorage(SqliteStorage):
    """huey's SQLite storage whose idle workers wake at once when this process enqueues."""

    blocking = True  # dequeue waits itself (below), so huey's worker does not sleep-poll

    def __init__(self, *args, **kwargs):
        self._work = threading.Condition()
        self._enqueued = 0
        super().__init__(*args, **kwargs)

    def _create_connection(self):  # PRIVATE in huey: checked by the version test
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


class _NeverRevoked:
    """A canceled generation is ended through its row, never by revoking huey tasks: skip the
    revocation lookup huey makes in its storage before every task."""

    def is_revoked(self, task, timestamp=None, peek=True) -> bool:
        return False


class StudioSqliteHuey(_NeverRevoked, SqliteHuey):
    pass


class StudioRedisHuey(_NeverRevoked, RedisHuey):
    pass


class StudioMemoryHuey(_NeverRevoked, MemoryHuey):
    pass


def make_huey(url: str) -> Huey:
    """huey for a queue URL: `redis://`, `memory://` (immediate mode, tests) or a SQLite file."""
    if url.startswith(("redis://", "rediss://")):
        return StudioRedisHuey("campaign-studio", url=url, results=False)
    if url.startswith("memory://"):
        return StudioMemoryHuey("campaign-studio", immediate=True, results=False)
    path = url.removeprefix("sqlite:///")
    private_data_dir()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    private_file(Path(path))
    return StudioSqliteHuey(
        "campaign-studio", filename=path, results=False, timeout=15,
        storage_class=WakingSqliteStorage,
    )  # fmt: skip


class PromptScheduler(Scheduler):
    """huey's scheduler, also woken when a task this process scheduled is due; its periodic
    tasks (the reconcile, every minute by its crontab) are offered every 20 s, so a dead
    worker's steps are taken over about a lease plus 20 s after it died."""

    periodic_task_seconds = 20

    def __init__(self, huey, stop_flag, interval, periodic):
        super().__init__(huey, stop_flag, interval, periodic)
        self._alarm = alarm_of(huey)
        self._next_tick = time.monotonic()

    def loop(self, now=None):
        # COPIED from huey 3.5.4 `Scheduler.loop`; only the sleep at the end differs.
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
        self._alarm.sleep_until(self._next_tick)


class EmbeddedConsumer(Consumer):
    """A consumer that can run in a server's lifespan or a CLI thread: no signal handlers."""

    scheduler_class = PromptScheduler

    def _set_signal_handlers(self):
        return None
