"""The huey extensions hold only for the huey they were written against: an upgrade that changes
the code they copy or override fails here, loudly, before it can change how the queue runs."""

from __future__ import annotations

import hashlib
import inspect

import huey
from huey import SqliteHuey
from huey.api import Huey
from huey.consumer import Consumer, Scheduler
from huey.storage import SqliteStorage

from core.jobs import huey_ext

# huey's code that core/jobs/huey_ext.py copies (COPIED) or overrides, by the sha256 of its source
# in huey 3.5.4. When one changes: read the new huey code, carry the change into huey_ext, then
# update the digest and HUEY_VERSION.
RELIED_ON = {
    Scheduler.loop: "e30908de33d4d1b9",  # COPIED into PromptScheduler.loop
    Scheduler.__init__: "8bdf53b82db2b13e",  # the attributes PromptScheduler.loop reads
    SqliteStorage._create_connection: "ec1d1c72cf961984",  # private, overridden
    SqliteStorage.enqueue: "d6cf3ca16b4d0322",
    SqliteStorage.dequeue: "23590bf0dd601e00",
    Consumer._set_signal_handlers: "1711effd96337573",  # private, overridden
    Huey.is_revoked: "9f4b213bb3330f92",
    Huey.add_schedule: "f6b28a041f823d5a",  # queue.enqueue schedules through it
}


def _digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def test_huey_is_the_version_the_extensions_were_written_against():
    assert huey.__version__ == huey_ext.HUEY_VERSION, (
        f"huey {huey.__version__} is installed; core/jobs/huey_ext.py was written against "
        f"{huey_ext.HUEY_VERSION}: check the code it copies and overrides, then update it"
    )


def test_the_huey_code_the_extensions_copy_or_override_is_unchanged():
    changed = [f.__qualname__ for f, digest in RELIED_ON.items() if _digest(f) != digest]
    assert not changed, f"huey changed what core/jobs/huey_ext.py relies on: {changed}"


def test_a_queue_never_asks_huey_whether_a_task_was_revoked(tmp_path):
    # A canceled generation is ended through its row; the override spares a storage read per task.
    plain = SqliteHuey("plain", filename=str(tmp_path / "plain.db"))
    studio = huey_ext.make_huey(f"sqlite:///{tmp_path / 'studio.db'}")
    for queue in (plain, studio):
        task = queue.task(name="step")(lambda: None)
        queue.revoke_all(task)
        message = task.s()
        assert queue.is_revoked(message) is (queue is plain)
