"""The task queue: one huey per queue URL, the two tasks it runs, and how work is put on it.

Tasks carry only ids. The database is the source of truth: huey may lose a task it held when its
consumer is killed, so the lifecycle (`core.jobs.lifecycle`) claims rows atomically and a
periodic reconcile re-drives anything left unfinished. The task functions are registered here by
name (`handles`) by the modules that define them, so the queue does not import them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from huey import crontab
from huey.api import Huey, TaskWrapper
from huey.utils import normalize_time

from core.config import get_settings
from core.jobs.huey_ext import alarm_of, make_huey

PROCESS_GENERATION = "process_generation"  # huey task names: queued work survives a deploy
RECONCILE = "reconcile"
PROMPT_PRIORITY = 10  # huey runs higher first (its SQLite storage; Redis has no priority)
DUE_SLACK_S = 0.005  # wake just after a task's eta, so the schedule read finds it due

_lock = threading.Lock()
_queues: dict[str, tuple[Huey, TaskWrapper]] = {}
_handlers: dict[str, Callable[..., object]] = {}


def handles(task_name: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Registers the function that runs `task_name` in a consumer."""

    def register(function: Callable[..., object]) -> Callable[..., object]:
        _handlers[task_name] = function
        return function

    return register


def _run(task_name: str) -> Callable[..., object]:
    def run(*args: object) -> object:
        return _handlers[task_name](*args)

    run.__name__ = task_name
    return run


def get_queue() -> tuple[Huey, TaskWrapper]:
    """The huey instance for the configured queue URL and its `process_generation` task."""
    url = get_settings().queue_url
    with _lock:
        if url not in _queues:
            huey = make_huey(url)
            task = huey.task(name=PROCESS_GENERATION)(_run(PROCESS_GENERATION))
            huey.periodic_task(crontab(minute="*"), name=RECONCILE)(_run(RECONCILE))
            _queues[url] = (huey, task)
        return _queues[url]


def reset_queues() -> None:
    """Forget the queues built so far: the next use builds one for the settings of then."""
    with _lock:
        _queues.clear()


def waiting_ids() -> set[str]:
    """Generations with a message in the queue now, waiting or scheduled (a message a worker
    has just taken is in neither)."""
    huey, _ = get_queue()
    tasks = [*huey.pending(), *huey.scheduled()]
    return {str(t.args[0]) for t in tasks if t.name == PROCESS_GENERATION and t.args}


_on_enqueue: list[Callable[[str, float], None]] = []


def on_enqueue(function: Callable[[str, float], None]) -> Callable[[str, float], None]:
    """Register `function(generation_id, delay_s)`, called before a message for a row no
    worker holds is sent (the lifecycle notes when it is due). A message with a claim token (a
    running row's next poll or wake) is not noted: the row's lease covers it."""
    _on_enqueue.append(function)
    return function


def enqueue(
    generation_id: str, *, token: str | None = None, delay_s: float = 0,
    delivered: dict | None = None,
) -> None:  # fmt: skip
    """Run a step of the generation now, or after `delay_s`; `delivered` is the prediction a
    verified webhook brought (see `core.jobs.worker.run_step`)."""
    if token is None:
        for note in _on_enqueue:
            note(generation_id, delay_s)
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
    alarm_of(huey).set(time.monotonic() + delay_s + DUE_SLACK_S)
