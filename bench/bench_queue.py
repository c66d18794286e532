"""200 queued draft jobs end to end through the real SQLite queue (target: overhead <= 20 ms/job).

Overhead = (wall time of the queue run - time to render the same items directly) / jobs, with one
worker so the two are comparable. It includes enqueueing, claiming, row updates, storing the file
and making its thumbnail. A two-worker run shows the throughput on this 2-core machine.

Run: .venv/bin/python bench/bench_queue.py [JOBS]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

JOBS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
PARAMS = {"duration": 1, "output_format": "wav"}  # a short draft track: render cost stays small


def render_directly(n: int) -> float:
    from core import catalog
    from core.providers.base import JobSpec
    from core.providers.local import LocalProvider

    spec = catalog.get_model("local/draft-music")
    params = catalog.validate(spec.id, PARAMS)
    provider = LocalProvider()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            job = JobSpec(f"gen_{i}", "audio", spec, {**params, "seed": i}, f"track {i}", "", [],
                          i, Path(tmp))  # fmt: skip
            provider.step(job, lambda _pid: None)
    return time.perf_counter() - t0


def run_queue(n: int, workers: int) -> tuple[float, float, int]:
    from sqlmodel import select

    from core import jobs
    from core.db import session_scope
    from core.generation import service as gen
    from core.models import Generation
    from tests.utils.factories import make_campaign, make_people

    with session_scope() as session:
        admin = make_people(session)["admin"]
        campaign = make_campaign(session, admin, name=f"Bench {workers}")
        t0 = time.perf_counter()
        ids = []
        for i in range(n):
            req = gen.Request("audio", f"track {i}", params={**PARAMS, "seed": i})
            ids.append(gen.submit(session=session, actor=admin, campaign_id=campaign.id,
                                  req=req).id)  # fmt: skip
        submit_s = time.perf_counter() - t0
    consumer = jobs.start_consumer(workers=workers)
    try:
        while True:
            with session_scope() as session:
                query = select(Generation.status).where(Generation.id.in_(ids))
                statuses = session.exec(query).all()
            if all(s in ("succeeded", "failed", "canceled") for s in statuses):
                break
            time.sleep(0.02)
    finally:
        consumer.stop(graceful=True)
    wall = time.perf_counter() - t0
    return wall, submit_s, sum(s == "succeeded" for s in statuses)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    render_s = render_directly(JOBS)
    each_ms = render_s / JOBS * 1000
    print(f"render only: {JOBS} draft tracks in {render_s:.2f} s ({each_ms:.1f} ms each)")
    for workers in (1, 2):
        tmp = tempfile.mkdtemp(prefix=f"bench-queue-{workers}-")
        os.environ.update(STUDIO_DATA_DIR=tmp, STUDIO_QUEUE_URL=f"sqlite:///{tmp}/queue.db",
                          STUDIO_BCRYPT_ROUNDS="4")  # fmt: skip
        from core import jobs
        from core.config import reset_settings
        from core.db import dispose_engines

        reset_settings()
        dispose_engines()
        jobs.reset_queues()
        wall, submit_s, ok = run_queue(JOBS, workers)
        line = f"{workers} worker(s): {ok}/{JOBS} succeeded, wall {wall:.2f} s "
        line += f"(submitting {submit_s * 1000 / JOBS:.1f} ms/job), {JOBS / wall:.1f} jobs/s"
        if workers == 1:
            overhead = (wall - render_s) / JOBS * 1000
            line += f"; overhead {overhead:.1f} ms/job (target <= 20): "
            line += "PASS" if overhead <= 20 else "FAIL"
        print(line)


if __name__ == "__main__":
    main()
