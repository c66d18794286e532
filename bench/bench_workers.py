"""200 draft jobs through a Redis queue and PostgreSQL, on 1 and on 2 worker processes: wall
time from the first request to the last job done, and jobs a second.

Each process runs `python -m core worker --workers 2`; the jobs are draft images (fast: the
figure is the queue, claims and database round trips, not rendering). PostgreSQL and Redis on
127.0.0.1, a database and Redis index of the benchmark's own (made and emptied here).

Run: .venv/bin/python bench/bench_workers.py [JOBS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOBS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/campaign_studio_bench_workers"
REDIS_URL = "redis://127.0.0.1:6379/11"


def one_run(processes: int) -> float:
    import redis
    import sqlalchemy as sa

    from core import jobs
    from core.config import reset_settings
    from core.db import dispose_engines, get_engine, session_scope
    from tests.utils import databases
    from tests.utils.factories import make_campaign, make_people, submit_generation

    databases.create(PG_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    os.environ.update(STUDIO_DATA_DIR=tempfile.mkdtemp(prefix="bench-workers-"),
                      STUDIO_DATABASE_URL=PG_URL, STUDIO_QUEUE_URL=REDIS_URL,
                      STUDIO_BCRYPT_ROUNDS="4")  # fmt: skip
    reset_settings()
    dispose_engines()
    jobs.reset_queues()
    with session_scope() as s:
        people = make_people(s)
        campaign = make_campaign(s, people["admin"])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, "-m", "core", "worker", "--workers", "2"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(processes)]  # fmt: skip
    time.sleep(3)  # every worker up and waiting
    started = time.perf_counter()
    with session_scope() as s:
        for _ in range(JOBS):
            submit_generation(s, people["creative"], campaign, "image")
    done = "select count(*) from generation where status = 'succeeded'"
    while True:
        with get_engine().connect() as conn:
            if conn.execute(sa.text(done)).scalar() >= JOBS:
                break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)
    dispose_engines()
    databases.drop(PG_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    return wall


def main() -> None:
    sys.path.insert(0, str(ROOT))
    print(f"{JOBS} draft image jobs, Redis queue + PostgreSQL, each worker process 2 threads")
    for processes in (1, 2):
        wall = one_run(processes)
        print(f"  {processes} worker process{'es' * (processes > 1)}: {wall:6.1f} s wall · "
              f"{JOBS / wall:5.1f} jobs/s")  # fmt: skip


if __name__ == "__main__":
    main()
