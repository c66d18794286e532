"""Steps that wait on another step: released when it succeeds, ended when it cannot."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.models import Generation, Status, table_of, utcnow

GEN = table_of(Generation)


def release(session: Session, generation_id: str) -> list[str]:
    """Waiting steps whose upstream just succeeded become queued; returns their ids."""
    ids = session.exec(
        select(Generation.id).where(
            Generation.depends_on_id == generation_id, Generation.status == Status.waiting
        )
    ).all()
    if ids:
        session.execute(
            sa.update(GEN)
            .where(GEN.c.id.in_(ids), GEN.c.status == "waiting")
            .values(status=Status.queued.value)
        )
    return list(ids)


def fail(session: Session, generation_id: str, reason: str, *, status=Status.failed) -> None:
    """Steps that wait on a failed or canceled step can never run: end them, transitively."""
    pending = [generation_id]
    while pending:
        upstream = pending.pop()
        ids = session.exec(
            select(Generation.id).where(
                Generation.depends_on_id == upstream, Generation.status == Status.waiting
            )
        ).all()
        if ids:
            session.execute(
                sa.update(GEN)
                .where(GEN.c.id.in_(ids), GEN.c.status == "waiting")
                .values(status=status.value, error=reason, finished_at=utcnow())
            )
            pending.extend(ids)


def release_orphaned(session: Session) -> list[str]:
    """Waiting rows whose upstream already ended (e.g. the process died in between)."""
    up = sa.orm.aliased(Generation)
    rows = session.exec(
        select(Generation.id, up.status)
        .join(up, col(up.id) == Generation.depends_on_id)
        .where(Generation.status == Status.waiting, col(up.status).in_(
            [Status.succeeded, Status.failed, Status.canceled]))
    ).all()  # fmt: skip
    released = []
    for gid, upstream_status in rows:
        if upstream_status == Status.succeeded:
            session.execute(
                sa.update(GEN).where(GEN.c.id == gid, GEN.c.status == "waiting")
                .values(status=Status.queued.value)
            )  # fmt: skip
            released.append(gid)
        else:
            session.execute(
                sa.update(GEN).where(GEN.c.id == gid, GEN.c.status == "waiting")
                .values(status=Status.failed.value, error="An earlier step did not finish.",
                        finished_at=utcnow())
            )  # fmt: skip
    return released
