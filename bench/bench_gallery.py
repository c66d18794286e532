"""Gallery query speed at 100,000 generations (target: a page in <= 20 ms).

Run: .venv/bin/python bench/bench_gallery.py [ROWS] [--postgres]
(--postgres: on a database of its own on 127.0.0.1:5432, made for the run and dropped after)
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

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
ROWS = int(ARGS[0]) if ARGS else 100_000
POSTGRES = "--postgres" in sys.argv
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/campaign_studio_bench"
WORDS = ("beach sunset coffee neon city forest runner shoe bottle mountain rain studio portrait "
         "product close-up aerial night morning autumn summer winter").split()  # fmt: skip


def _prompt(rng: random.Random, i: int) -> str:
    # Two words at the edges of the search planner's "rare" threshold (2,000 hits).
    extra = " lighthouse" if i % 67 == 0 else " harbor" if i % 40 == 1 else ""
    return " ".join(rng.sample(WORDS, 5)) + extra


def seed_rows(session, admin, n: int) -> dict:
    import sqlalchemy as sa

    from core.models import Generation
    from tests.utils.factories import make_campaign

    camps = [make_campaign(session, admin, f"Campaign {i}") for i in range(1)]
    client_id = camps[0].client_id
    from core.campaigns import campaigns

    for i in range(1, 20):
        camps.append(campaigns.create_campaign(session=session, actor=admin, client_id=client_id,
                                               name=f"Campaign {i}"))  # fmt: skip
    session.commit()
    rng = random.Random(1)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    kinds, statuses = ("image", "video", "audio"), ("succeeded",) * 8 + ("failed", "queued")
    models = {"image": "local/draft-image", "video": "local/draft-video",
              "audio": "local/draft-music"}  # fmt: skip
    batch = []
    for i in range(n):
        kind = rng.choice(kinds)
        created = start + timedelta(seconds=i * 300 + rng.randint(0, 299))
        batch.append({
            "id": f"gen_{i:012x}", "kind": kind, "model": models[kind], "client_id": client_id,
            "campaign_id": rng.choice(camps).id, "prompt": _prompt(rng, i),
            "effective_prompt": "", "negative_prompt": "", "brand_applied": True, "params": {},
            "status": rng.choice(statuses), "attempts": 1, "created_at": created,
            "estimated_cost_usd": 0.0, "cost_usd": 0.0, "created_by": admin.id,
        })  # fmt: skip
        if len(batch) == 5000:
            session.execute(sa.insert(Generation), batch)
            batch = []
    if batch:
        session.execute(sa.insert(Generation), batch)
    if session.connection().dialect.name == "postgresql":
        session.commit()
        session.execute(sa.text("ANALYZE generation"))  # as autovacuum would, soon after
    session.commit()
    return {"campaign": camps[3].id, "client": client_id, "since": start + timedelta(days=100)}


def timed(fn, repeat: int = 30) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bench-gallery-")
    os.environ.update(STUDIO_DATA_DIR=tmp, STUDIO_QUEUE_URL="memory://", STUDIO_BCRYPT_ROUNDS="4")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    if POSTGRES:
        from tests.utils import databases

        databases.create(PG_URL)
        os.environ["STUDIO_DATABASE_URL"] = PG_URL
        try:
            run()
        finally:
            from core.db import dispose_engines

            dispose_engines()
            databases.drop(PG_URL)
        return
    run()


def run() -> None:
    from core.db import session_scope
    from core.generation.gallery import GalleryFilter, search
    from tests.utils.factories import make_people

    with session_scope() as session:
        admin = make_people(session)["admin"]
        t0 = time.perf_counter()
        ids = seed_rows(session, admin, ROWS)
        print(f"seeded {ROWS:,} generations in {time.perf_counter() - t0:.1f} s")
        since = ids["since"].date()
        cases = {
            "newest, page 1": (GalleryFilter(), 1),
            "newest, page 50": (GalleryFilter(), 50),
            "campaign": (GalleryFilter(campaign_id=ids["campaign"]), 1),
            "client + kind=video": (GalleryFilter(client_id=ids["client"], kind="video"), 1),
            "status=failed + kind=audio": (GalleryFilter(status="failed", kind="audio"), 1),
            "model": (GalleryFilter(model="local/draft-music"), 1),
            "date range (30 days)": (GalleryFilter(since=since, until=since + timedelta(30)), 1),
            "prompt text 'neon'": (GalleryFilter(text="neon"), 1),
            "rare text 'zebra' (no match)": (GalleryFilter(text="zebra"), 1),
            "text 'lighthouse' (1,493 hits)": (GalleryFilter(text="lighthouse"), 1),
            "text 'harbor' (2,500 hits)": (GalleryFilter(text="harbor"), 1),
            "campaign + text + kind": (
                GalleryFilter(campaign_id=ids["campaign"], text="coffee", kind="image"),
                1,
            ),  # fmt: skip
        }
        print(f"\n{'query (24 per page)':36} {'median ms':>10}  target <= 20 ms")
        for name, (flt, page) in cases.items():
            ms = timed(lambda f=flt, p=page: search(session=session, actor=admin, filters=f,
                                                    page=p, per_page=24))  # fmt: skip
            print(f"{name:36} {ms:10.2f}  {'PASS' if ms <= 20 else 'FAIL'}")


if __name__ == "__main__":
    main()
