"""Processes and servers a test starts: on the test's environment with this checkout importable,
waited for until they answer, and always stopped.

`started(argv)` runs a program (`python_m("core", "worker")`: a module of this repository) for
the length of a `with`; `Process.wait_until` polls a condition and fails at once, with the
program's output, if the program has exited. `ServerThread` / `serving(app)` run an ASGI app in
a thread of this process (real HTTP, no subprocess).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TypeVar

import uvicorn

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_SHOWN = 4000  # characters of a program's output in a failure message (its last ones)
T = TypeVar("T")


def child_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (else this process's environment: the test's data dir, queue and settings) with
    this checkout first on PYTHONPATH."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def python_m(module: str, *args: str) -> list[str]:
    """The argv of `python -m module args`, on this interpreter."""
    return [sys.executable, "-m", module, *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], T],
    *,
    timeout: float,
    what: str | Callable[[], str],
    every: float = 0.05,
    ignoring: tuple[type[BaseException], ...] = (),
    gone: Callable[[], str | None] | None = None,
) -> T:
    """The first truthy value of `condition()`, asked every `every` s for up to `timeout` s.

    An exception in `ignoring` counts as "not yet". `gone()`, asked before each try, says why
    what is waited on can no longer come (a process that exited): the wait fails at once.
    `what` (or what it returns, when the wait fails) names what is waited for."""
    deadline = time.monotonic() + timeout
    while True:
        if gone is not None and (why := gone()) is not None:
            raise AssertionError(f"{why}\n(while waiting for {_said(what)})")
        try:
            if value := condition():
                return value
        except ignoring:
            pass
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {_said(what)}")
        time.sleep(every)


def _said(what: str | Callable[[], str]) -> str:
    return what if isinstance(what, str) else what()


class Process:
    """A started program: its `proc` (Popen), its output so far (stdout and stderr, kept in a
    file, so that a chatty program never blocks on a full pipe), and waits that notice its
    exit."""

    def __init__(self, argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, name: str):
        self.name = name
        self._output = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
            stdout=self._output, stderr=subprocess.STDOUT,
        )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        """The last OUTPUT_SHOWN characters it wrote."""
        self._output.flush()
        self._output.seek(0)
        return self._output.read().decode(errors="replace")[-OUTPUT_SHOWN:]

    def exited(self) -> str | None:
        """Why it is not running (its exit code and output), or None while it runs."""
        code = self.proc.poll()
        if code is None:
            return None
        return f"{self.name} exited with code {code}; its output:\n{self.output()}"

    def wait_until(
        self,
        condition: Callable[[], T],
        *,
        timeout: float,
        what: str | Callable[[], str],
        every: float = 0.05,
        ignoring: tuple[type[BaseException], ...] = (),
    ) -> T:
        """`wait_until` that fails as soon as this program exits, and shows its output if the
        time runs out."""
        try:
            return wait_until(condition, timeout=timeout, what=what, every=every,
                              ignoring=ignoring, gone=self.exited)  # fmt: skip
        except AssertionError as failed:
            if self.proc.poll() is not None:
                raise
            raise AssertionError(f"{failed}; {self.name}'s output:\n{self.output()}") from None

    def wait_for_url(self, url: str, *, timeout: float = 60.0) -> None:
        """Until a GET of `url` answers 200."""

        def answers() -> bool:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return reply.status == 200

        self.wait_until(answers, timeout=timeout, what=f"{url} to answer", every=0.3,
                        ignoring=(OSError,))  # fmt: skip

    def kill_hard(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: no clean-up runs in it."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM and up to `timeout` s to shut down cleanly; SIGKILL after that."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill_hard()

    def close(self) -> None:
        self._output.close()


@contextmanager
def started(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    graceful: bool = False,
    name: str | None = None,
) -> Iterator[Process]:
    """`argv` running on `env` (`child_env()` unless given) from the checkout, for the length of
    the `with`; then stopped: SIGKILL, or with `graceful` SIGTERM and time to shut down."""
    process = Process(argv, env=child_env() if env is None else env, cwd=cwd,
                      name=name or _program(argv))  # fmt: skip
    try:
        yield process
    finally:
        if graceful:
            process.stop()
        else:
            process.kill_hard()
        process.close()


def _program(argv: Sequence[str]) -> str:
    """`python -m core worker` for the argv python_m makes, else the argv itself."""
    if len(argv) > 2 and argv[0] == sys.executable and argv[1] == "-m":
        return " ".join(["python", *argv[1:]])
    return " ".join(argv)


def core_worker(
    workers: int = 1, env: Mapping[str, str] | None = None
) -> AbstractContextManager[Process]:
    """A `python -m core worker` on this test's environment (data dir, queue, settings), or on
    `env` (another machine's)."""
    argv = python_m("core", "worker", "--workers", str(workers))
    return started(argv, env=child_env(env), name="the worker")


class ServerThread:
    """An ASGI app on 127.0.0.1 at a free port, in a background thread (real HTTP)."""

    def __init__(self, app):
        # proto=IPPROTO_TCP, or asyncio does not set TCP_NODELAY on accepted connections (it
        # checks the protocol) and every response waits ~40 ms for a delayed ACK (Nagle).
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", access_log=False,
            timeout_graceful_shutdown=1,
        )  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._sock.getsockname()
        return f"http://{host}:{port}"

    def start(self) -> ServerThread:
        self._thread.start()
        wait_until(
            lambda: self._server.started, timeout=10, every=0.01, what="the test server to start",
            gone=lambda: None if self._thread.is_alive() else "the test server's thread ended",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)
        self._sock.close()


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` served for the length of the `with`; its base URL."""
    server = ServerThread(app).start()
    try:
        yield server.url
    finally:
        server.stop()
