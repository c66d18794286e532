"""200 Replicate generations against the fake Replicate with 2 s latency each, on the real
SQLite queue (targets: wall <= 1.2 x ideal, orchestration CPU <= 20 ms per job).

The fake runs in its own process (its CPU is not ours) and keeps every prediction `processing`
for 2 s after its create. Polling never holds a worker (each poll is one GET, then the step is
rescheduled), so all 200 predictions can be in flight at once and the ideal is

    ideal = submit time (the last request is in) + 2 s (its prediction's latency)

Wall is measured from the first submit to the last row final (downloaded, stored, thumbnailed).
CPU is this process's CPU time over the same span, per job, split in three:
- submit: the requesting thread in the generation service (validation, budget and rate-limit
  checks, rows, enqueue), which bench_queue.py measures for draft jobs too;
- the render: the gallery thumbnail of each output (decoding and resizing the image), timed in
  the run around `thumbs.thumbnail`. It is the media work of a Replicate job, as the draft
  render is of a local one (bench_queue.py counts the overhead beyond the render too);
- orchestration: everything else, i.e. the queue's worker and scheduler threads creating,
  polling, downloading, checking, hashing and storing (and in webhook mode the receiver).
The CPU target applies to orchestration; the render and the total are printed beside it.

Two modes: `poll` (the default path: polls at 1, 2, 3 s of each prediction's age, and once a
prediction of the model has ended, a poll lands just after the model's usual time, even one
scheduled before, see core/providers/replicate_latency.py) and `webhook` (the fake POSTs a
signed completion webhook to a receiver in this process, which wakes the poll at once).

Each mode runs three times (a fresh data dir and queue each, and nothing learned of the model's
latency); the median counts, as single runs on two shared cores vary by +-0.1.

Run: .venv/bin/python bench/bench_replicate.py [--jobs 200] [--latency 2] [--workers 4] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_fake(latency_s: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.fake_replicate", "--latency", str(latency_s)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = proc.stdout.readline().strip()
    if not line.startswith("READY "):
        proc.kill()
        raise SystemExit(f"the fake Replicate did not start: {line!r}")
    return proc, line.split()[1]


def configure(base_url: str, workers: int, poll_s: float, webhook_url: str | None) -> None:
    from core import jobs
    from core.config import reset_settings
    from core.db import dispose_engines
    from core.generation import limits
    from core.providers import replicate_latency
    from tests.integration.fake_replicate import TOKEN

    tmp = tempfile.mkdtemp(prefix="bench-replicate-")
    os.environ.update(
        STUDIO_DATA_DIR=tmp, STUDIO_QUEUE_URL=f"sqlite:///{tmp}/queue.db",
        STUDIO_BCRYPT_ROUNDS="4", REPLICATE_API_TOKEN=TOKEN, REPLICATE_BASE_URL=base_url,
        STUDIO_POLL_INTERVAL_S=str(poll_s), STUDIO_WORKERS=str(workers),
        STUDIO_RATE_LIMITS="image=100000/minute", STUDIO_WEBHOOK_URL=webhook_url or "",
    )  # fmt: skip
    reset_settings()
    dispose_engines()
    limits.reset()
    jobs.reset_queues()
    replicate_latency.forget()  # each run starts cold, as a server just started


# The watcher's own query, built once and cheap: the benchmark's database holds only its rows,
# and this thread competes with the workers for the interpreter.
OPEN_COUNT = "select count(*) from generation where status in ('queued', 'running', 'waiting')"


def _open_count() -> int:
    import sqlalchemy as sa

    from core.db import get_engine

    with get_engine().connect() as conn:
        return conn.execute(sa.text(OPEN_COUNT)).scalar_one()


class RenderClock:
    """CPU time of the worker threads inside `thumbs.thumbnail` (the render), while installed."""

    def __init__(self):
        from core.media import thumbs

        self.module, self.original, self.cpu_s, self.calls = thumbs, thumbs.thumbnail, 0.0, 0

    def __enter__(self):
        def timed(*args, **kwargs):
            cpu0 = time.thread_time()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.cpu_s += time.thread_time() - cpu0  # GIL held: no lost updates
                self.calls += 1

        self.module.thumbnail = timed
        return self

    def __exit__(self, *exc):
        self.module.thumbnail = self.original


def run(jobs_n: int) -> dict:
    from sqlmodel import select

    from core import jobs
    from core.db import session_scope
    from core.generation import service as gen
    from core.models import Generation
    from tests.utils.factories import make_campaign, make_people

    with session_scope() as session:
        admin = make_people(session)["admin"]
        campaign_id = make_campaign(session, admin).id
    consumer = jobs.start_consumer()
    try:
        with RenderClock() as render:
            wall0, cpu0, main0 = time.perf_counter(), time.process_time(), time.thread_time()
            with session_scope() as session:
                ids = [
                    gen.submit(session=session, actor=admin, campaign_id=campaign_id,
                               req=gen.Request("image", f"product shot {i}",
                                               "google/nano-banana")).id
                    for i in range(jobs_n)
                ]  # fmt: skip
            submit_s, submit_cpu = time.perf_counter() - wall0, time.thread_time() - main0
            while _open_count():
                time.sleep(0.02)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            main_cpu = time.thread_time() - main0  # submitting, then waiting: not the workers
            render_cpu = render.cpu_s
    finally:
        consumer.stop(graceful=True)
    with session_scope() as session:
        statuses = session.exec(select(Generation.status).where(Generation.id.in_(ids))).all()
    workers_cpu = cpu - main_cpu
    return {"wall": wall, "cpu": cpu, "workers_cpu": workers_cpu, "render_cpu": render_cpu,
            "orchestration_cpu": workers_cpu - render_cpu, "submit": submit_s,
            "submit_cpu": submit_cpu, "ok": sum(s == "succeeded" for s in statuses)}  # fmt: skip


def process_cpu_s(pid: int) -> float:
    """User + system CPU of another process (here: the fake, which shares our two cores)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fake_stats(base_url: str) -> dict:
    import httpx

    return httpx.get(f"{base_url}/_stats").json()


def report(mode: str, r: dict, jobs_n: int, latency_s: float) -> tuple[float, float]:
    """Prints one run; returns (wall/ideal, orchestration CPU ms per job)."""
    ideal = r["submit"] + latency_s
    ratio = r["wall"] / ideal
    keys = ("cpu", "orchestration_cpu", "render_cpu", "workers_cpu", "submit_cpu")
    per_job = {k: r[k] / jobs_n * 1000 for k in keys}
    if r["ok"] != jobs_n:
        ratio = float("inf")  # a run that lost jobs fails whatever its times
    print(
        f"{mode}: {r['ok']}/{jobs_n} succeeded; submit {r['submit']:.2f} s, wall "
        f"{r['wall']:.2f} s, ideal {ideal:.2f} s, wall/ideal {ratio:.2f} (target <= 1.2); CPU "
        f"per job: orchestration {per_job['orchestration_cpu']:.1f} ms (target <= 20), "
        f"the render (gallery thumbnail) {per_job['render_cpu']:.1f} ms, the two together "
        f"{per_job['workers_cpu']:.1f} ms; submit {per_job['submit_cpu']:.1f} ms, process "
        f"total {per_job['cpu']:.1f} ms; the fake Replicate's own CPU (same two cores) "
        f"{r['fake_cpu'] / jobs_n * 1000:.1f} ms; requests per job: {r['requests']}",
        flush=True,
    )
    return ratio, per_job["orchestration_cpu"]


def verdict(mode: str, runs: list[tuple[float, float]]) -> bool:
    ratio = statistics.median(r for r, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    passed = ratio <= 1.2 and cpu <= 20
    spread = f"{min(r for r, _ in runs):.2f}-{max(r for r, _ in runs):.2f}"
    print(f"{mode}, median of {len(runs)} runs: wall/ideal {ratio:.2f} (runs {spread}; target "
          f"<= 1.2), orchestration CPU {cpu:.1f} ms per job (target <= 20): "
          + ("PASS" if passed else "FAIL"), flush=True)  # fmt: skip
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description="Replicate orchestration benchmark")
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--latency", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--poll", type=float, default=1.0, help="first poll interval, s")
    parser.add_argument("--modes", default="poll,webhook")
    parser.add_argument("--runs", type=int, default=3, help="runs per mode (the median counts)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from core.jobs.webhook_server import PATH, make_app
    from tests.utils.processes import ServerThread

    fake, base_url = start_fake(args.latency)
    receiver = ServerThread(make_app()).start()
    results = []
    try:
        for mode in args.modes.split(","):
            hook = receiver.url + PATH if mode == "webhook" else None
            runs = []
            for _ in range(args.runs):
                configure(base_url, args.workers, args.poll, hook)
                before, fake_cpu0 = fake_stats(base_url), process_cpu_s(fake.pid)
                result = run(args.jobs)
                after = fake_stats(base_url)
                result["fake_cpu"] = process_cpu_s(fake.pid) - fake_cpu0
                result["requests"] = ", ".join(
                    f"{k} {(after[k] - before[k]) / args.jobs:.2f}" for k in after
                )
                runs.append(report(mode, result, args.jobs, args.latency))
            results.append(verdict(mode, runs))
    finally:
        receiver.stop()
        fake.terminate()
        fake.wait(timeout=10)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
