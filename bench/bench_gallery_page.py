"""The Gallery screen's server-side run time at 10,000 generations (target <= 300 ms) and the
process's memory after browsing ten gallery pages (target <= 500 MB RSS).

Rows are bulk-inserted; their thumbnails and media are a few real draft renders shared by many
rows, so every card draws a real thumbnail. The screen runs under AppTest in this process, which
is what a server does per rerun (AppTest's own bookkeeping is included: figures are an upper
bound).

Run: .venv/bin/python bench/bench_gallery_page.py [ROWS] [RUNS]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
WORDS = "beach sunset coffee neon city forest runner shoe bottle mountain rain studio".split()


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, from /proc/self/status."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def seed(session, admin, campaign, n: int) -> None:
    """Three real renders, then n rows that share their files."""
    import sqlalchemy as sa

    from core.generation import service as gen
    from core.models import Generation

    templates = []
    for kind, params in (("image", {}), ("video", {"duration": 2}), ("audio", {"duration": 2})):
        req = gen.Request(kind, f"bench {kind}", params=params)
        row = gen.submit(session=session, actor=admin, campaign_id=campaign.id, req=req)
        session.refresh(row)
        templates.append(row)
    rng, start = random.Random(1), datetime(2026, 1, 1, tzinfo=UTC)
    keep = ("kind", "model", "media_sha256", "media_path", "media_mime", "media_bytes", "width",
            "height", "duration_s", "thumb_path", "params")  # fmt: skip
    rows = []
    for i in range(n):
        template = templates[i % 3]
        rows.append({
            **{k: getattr(template, k) for k in keep}, "id": f"gen_{i:012x}",
            "client_id": campaign.client_id, "campaign_id": campaign.id,
            "prompt": " ".join(rng.sample(WORDS, 5)), "status": "succeeded", "attempts": 1,
            "created_at": start + timedelta(seconds=i * 60), "created_by": admin.id,
        })  # fmt: skip
    for chunk in range(0, n, 5000):
        session.execute(sa.insert(Generation), rows[chunk : chunk + 5000])
    session.commit()


def app(admin, query: dict[str, str] | None = None):
    from streamlit.testing.v1 import AppTest

    from ui.session import USER_KEY

    at = AppTest.from_file(str(ROOT / "tests/ui/harness.py"), default_timeout=60)
    at.session_state["harness_screen"] = "gallery"
    at.session_state[USER_KEY] = admin.id
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def median_run_ms(at, runs: int) -> float:
    at.run()  # warm: imports, first connection, media manager
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
    return statistics.median(samples)


def browse_ten_pages(admin) -> int:
    at = app(admin).run()
    for _ in range(9):
        at.button(key="gallery_next").click().run()
    return int(at.query_params["page"])


def main() -> None:
    os.environ.update(STUDIO_DATA_DIR=tempfile.mkdtemp(prefix="bench-gallery-page-"),
                      STUDIO_QUEUE_URL="memory://", STUDIO_BCRYPT_ROUNDS="4")  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from core.db import session_scope
    from tests.utils.factories import make_campaign, make_people

    with session_scope() as session:
        admin = make_people(session)["admin"]
        campaign = make_campaign(session, admin)
        t0 = time.perf_counter()
        seed(session, admin, campaign, ROWS)
        print(f"seeded {ROWS:,} generations in {time.perf_counter() - t0:.1f} s")
    print(f"RSS before the screen runs: {rss_mb()[0]:.0f} MB")
    cases = {
        "newest, page 1": {},
        "page 50": {"page": "50"},
        "kind=video + prompt 'neon'": {"kind": "video", "q": "neon"},
        "campaign + date range": {
            "campaign": campaign.id,
            "since": "2026-01-02",
            "until": "2026-01-05",
        },  # fmt: skip
        "one item opened (video)": {"item": "gen_000000000001"},
    }
    print(f"\n{'gallery screen run (24 cards)':34} {'median ms':>10}  target <= 300 ms")
    for name, query in cases.items():
        ms = median_run_ms(app(admin, query), RUNS)
        print(f"{name:34} {ms:10.1f}  {'PASS' if ms <= 300 else 'FAIL'}")
    pages = browse_ten_pages(admin)
    current, peak = rss_mb()
    verdict = "PASS" if current <= 500 else "FAIL"
    print(f"\nafter browsing {pages} pages: RSS {current:.0f} MB (peak {peak:.0f} MB), "
          f"target <= 500 MB: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
