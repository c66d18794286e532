"""A real `python -m core worker` process for tests that kill a worker and restart the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@contextmanager
def worker_process(workers: int = 1) -> Iterator[subprocess.Popen]:
    """A worker on this test's environment (data dir, queue, settings); killed on the way out."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "worker", "--workers", str(workers)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield proc
    finally:
        kill_hard(proc)


def kill_hard(proc: subprocess.Popen) -> None:
    """SIGKILL, as a crash or an OOM kill would: no clean-up runs in the worker."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
