"""Running the queue from the CLI: `--wait` and `worker`."""

from __future__ import annotations

import signal
import threading
import time

from sqlmodel import Session, col, select

from core import jobs
from core.db import get_engine
from core.errors import StudioError
from core.models import FINAL_STATUSES, Generation


def _all_final(ids: list[str]) -> bool:
    with Session(get_engine()) as session:
        statuses = session.exec(select(Generation.status).where(col(Generation.id).in_(ids))).all()
    return len(statuses) == len(ids) and all(s in FINAL_STATUSES for s in statuses)


def wait_for(ids: list[str], *, timeout_s: float) -> None:
    """Run a consumer here until every id is final (the rows say so, not huey's results)."""
    consumer = jobs.start_consumer()
    jobs.reconcile()
    deadline = time.monotonic() + timeout_s
    try:
        while not _all_final(ids):
            if time.monotonic() > deadline:
                raise StudioError(
                    f"Still running after {timeout_s:g} s; see `python -m core jobs`."
                )
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)


def run_worker(workers: int | None) -> None:
    """A separate worker process (e.g. with STUDIO_QUEUE_URL=redis://...), until SIGINT/SIGTERM."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    consumer = jobs.start_consumer(workers)
    jobs.reconcile()
    print(f"worker {jobs.worker_id()} running; Ctrl-C to stop", flush=True)
    stop.wait()
    consumer.stop(graceful=True)
