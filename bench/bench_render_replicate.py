"""A 6-scene final ad on Replicate models (the fake, with a latency L per prediction): wall time
against the render's critical path (a frame, then its clip, then the composite), now that a
render is a graph. Target: wall / critical path <= 1.3.

Run: .venv/bin/python bench/bench_render_replicate.py [LATENCY_S] [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_replicate import configure, start_fake  # noqa: E402

LATENCY_S = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
VIDEO = "bytedance/seedance-1-lite"


def _took(row) -> float:
    return (row.finished_at - row.started_at).total_seconds()


def one_render(base_url: str) -> tuple[float, float, int]:
    from sqlmodel import select

    from core import jobs
    from core.db import session_scope
    from core.models import Generation, Status
    from core.storyboards import editing as sb
    from core.storyboards import final_ad, reviews
    from tests.utils.factories import SPRING_FIELDS, make_campaign, make_people

    configure(base_url, workers=4, poll_s=0.5, webhook_url=None)
    with session_scope() as s:
        people = make_people(s)
        campaign = make_campaign(s, people["admin"])
        board = sb.create_from_brief(session=s, actor=people["creative"], campaign_id=campaign.id,
                                     fields=SPRING_FIELDS)  # fmt: skip
        reviews.submit(session=s, actor=people["creative"], storyboard_id=board.id)
        reviews.approve(session=s, actor=people["reviewer"], storyboard_id=board.id)
        s.commit()
        consumer = jobs.start_consumer(workers=4)
        started = time.perf_counter()
        plan = final_ad.render(session=s, actor=people["creative"], storyboard_id=board.id,
                               video_model=VIDEO)  # fmt: skip
        final_id = plan.composites[0].id
        ids = [step.id for step in plan.steps]
    while True:
        with session_scope() as s:
            final = s.get(Generation, final_id)
            if final.status in (Status.succeeded, Status.failed):
                break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    consumer.stop(graceful=True)
    with session_scope() as s:
        steps = {g.id: g for g in s.exec(select(Generation).where(Generation.id.in_(ids)))}
    if final.status != Status.succeeded:
        raise SystemExit(f"the render failed: {final.error}")
    frames = [g for g in steps.values() if g.kind == "image"]
    clips = [g for g in steps.values() if g.kind == "video"]
    by_parent = {c.parent_id: c for c in clips}
    longest = max(_took(f) + _took(by_parent[f.id]) for f in frames)
    critical = longest + _took(steps[final_id])
    return wall, critical, len(clips)


def main() -> None:
    fake, base_url = start_fake(LATENCY_S)
    try:
        results = [one_render(base_url) for _ in range(RUNS)]
    finally:
        fake.kill()
    ratios = [wall / critical for wall, critical, _ in results]
    print(f"6-scene render on the fake Replicate, latency {LATENCY_S:g} s per prediction, "
          f"{RUNS} runs")  # fmt: skip
    for wall, critical, clips in results:
        print(f"  wall {wall:6.2f} s · critical path {critical:6.2f} s · {clips} clips · "
              f"ratio {wall / critical:.2f}")  # fmt: skip
    print(f"median ratio {statistics.median(ratios):.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
