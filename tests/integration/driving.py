"""Taking generations through their steps in a test, as the queue would, minus its waiting.

huey's immediate mode (the unit-test queue) runs a task at once but only stores scheduled ones,
so a test runs the scheduled poll itself: `run_step(id, claim token)` for a running row, and
`run_step(id)` for a row waiting to retry once its retry time has been moved to now.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from core.db import get_engine
from core.jobs import worker
from core.models import Generation
from tests.utils.factories import submit_generation

GEN = Generation.__table__
OPEN = ("queued", "running", "waiting")


def rows(*ids: str) -> list[Generation]:
    with Session(get_engine()) as session:
        found = {r.id: r for r in session.exec(select(Generation).where(Generation.id.in_(ids)))}
    return [found[i] for i in ids]


def row(gen_id: str) -> Generation:
    return rows(gen_id)[0]


def make_due(gen_id: str) -> None:
    with get_engine().begin() as conn:
        conn.execute(sa.update(GEN).where(GEN.c.id == gen_id).values(next_attempt_at=None))


def step(gen_id: str) -> None:
    current = row(gen_id)
    if current.status == "queued":
        make_due(gen_id)
        worker.run_step(gen_id)
    elif current.status == "running":
        worker.run_step(gen_id, current.claim_token)


def drive(*ids: str, max_rounds: int = 60) -> list[Generation]:
    """Step every open generation until none is open; their final rows."""
    for _ in range(max_rounds):
        current = rows(*ids)
        if not any(r.status in OPEN for r in current):
            return current
        for r in current:
            step(r.id)
    raise AssertionError(f"still open after {max_rounds} rounds: {[r.status for r in rows(*ids)]}")


def submit(session, actor, campaign, kind: str, model: str, prompt: str = "a surfer at dawn",
           **kw) -> Generation:  # fmt: skip
    session.expire_all()  # rows changed under this session by the steps run since
    return submit_generation(session, actor, campaign, kind, prompt, model, **kw)


def submit_image(session, people, campaign, **params) -> Generation:
    """The creative's image on Replicate (nano-banana), with `params`."""
    return submit(session, people["creative"], campaign, "image", "google/nano-banana",
                  params=params)  # fmt: skip
