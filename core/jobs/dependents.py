"""Steps that wait on other steps (a render is a graph: a clip on its frame, the final ad on
every clip and the music): saved as StepInput rows, released when all their inputs have
succeeded, ended when one of them cannot."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.models import Generation, Status, StepInput, table_of, utcnow

GEN = table_of(Generation)
ENDED_BADLY = (Status.failed, Status.canceled)


def save_planned_inputs(session: Session, rows: list[Generation]) -> None:
    """The inputs each planned row was told to wait for, as StepInput rows."""
    for row in rows:
        for input_id in row.planned_inputs():
            session.add(StepInput(step_id=row.id, input_id=input_id))


def inputs_of(session: Session, step_id: str) -> list[str]:
    return list(session.exec(select(StepInput.input_id).where(StepInput.step_id == step_id)))


def upstream_first(session: Session, step_ids: list[str]) -> list[str]:
    """`step_ids` ordered so that every step comes after those of them it waits on (directly
    or not): the order to take them up again in."""
    links = session.exec(
        select(StepInput.step_id, StepInput.input_id).where(col(StepInput.step_id).in_(step_ids))
    )
    needs: dict[str, set[str]] = {i: set() for i in step_ids}
    for step, input_id in links:
        if input_id in needs:
            needs[step].add(input_id)
    order: list[str] = []
    while needs:
        ready = sorted(i for i, wanted in needs.items() if not wanted - set(order))
        if not ready:  # never: a render's links point from later rows to earlier ones
            raise ValueError(f"steps wait on each other in a cycle: {sorted(needs)}")
        order += ready
        for i in ready:
            del needs[i]
    return order


def _waiting_on(session: Session, input_ids: list[str]) -> list[str]:
    """Waiting steps that take any of `input_ids`."""
    query = (
        select(StepInput.step_id)
        .join(Generation, col(Generation.id) == StepInput.step_id)
        .where(col(StepInput.input_id).in_(input_ids), Generation.status == Status.waiting)
    )
    return sorted(set(session.exec(query)))


def _input_statuses(session: Session, step_ids: list[str]) -> dict[str, list[str]]:
    """step id -> the statuses of its inputs."""
    query = (
        select(StepInput.step_id, Generation.status)
        .join(Generation, col(Generation.id) == StepInput.input_id)
        .where(col(StepInput.step_id).in_(step_ids))
    )
    found: dict[str, list[str]] = {step: [] for step in step_ids}
    for step, status in session.exec(query):
        found[step].append(status)
    return found


def _queue(session: Session, step_ids: list[str]) -> list[str]:
    if step_ids:
        session.execute(
            sa.update(GEN)
            .where(GEN.c.id.in_(step_ids), GEN.c.status == Status.waiting.value)
            .values(status=Status.queued.value)
        )
    return step_ids


def release(session: Session, generation_id: str) -> list[str]:
    """Waiting steps whose inputs have now all succeeded become queued; returns their ids."""
    candidates = _waiting_on(session, [generation_id])
    if not candidates:
        return []
    statuses = _input_statuses(session, candidates)
    ready = [s for s in candidates if all(x == Status.succeeded for x in statuses[s])]
    return _queue(session, ready)


def fail(session: Session, generation_id: str, reason: str, *, status=Status.failed) -> None:
    """Steps that wait on a failed or canceled step can never run: end them, transitively."""
    pending = [generation_id]
    while pending:
        upstream = pending.pop()
        ids = _waiting_on(session, [upstream])
        if ids:
            session.execute(
                sa.update(GEN)
                .where(GEN.c.id.in_(ids), GEN.c.status == Status.waiting.value)
                .values(status=status.value, error=reason, finished_at=utcnow())
            )
            pending.extend(ids)


def reopen(session: Session, generation_id: str) -> None:
    """Steps that ended because this one failed wait for it again (it is being retried), unless
    another of their inputs has failed too: they wait for that one's retry instead of for ever."""
    ids = [generation_id]
    while ids:
        query = (
            select(Generation)
            .join(StepInput, col(StepInput.step_id) == Generation.id)
            .where(col(StepInput.input_id).in_(ids), col(Generation.status).in_(ENDED_BADLY))
        )
        found = list(session.exec(query))
        statuses = _input_statuses(session, [s.id for s in found])
        steps = [s for s in found if not set(statuses[s.id]) & set(ENDED_BADLY)]
        for step in steps:
            step.status, step.error, step.finished_at, step.attempts = (
                Status.waiting,
                None,
                None,
                0,
            )
            session.add(step)
        ids = [s.id for s in steps]


def release_orphaned(session: Session) -> list[str]:
    """Waiting rows whose inputs all ended (e.g. the process died in between): queued when they
    all succeeded, failed when one did not."""
    waiting = list(session.exec(
        select(StepInput.step_id).join(Generation, col(Generation.id) == StepInput.step_id)
        .where(Generation.status == Status.waiting)
    ))  # fmt: skip
    candidates = sorted(set(waiting))
    if not candidates:
        return []
    statuses = _input_statuses(session, candidates)
    ready, broken = [], []
    for step, inputs in statuses.items():
        if all(x == Status.succeeded for x in inputs):
            ready.append(step)
        elif any(x in ENDED_BADLY for x in inputs):
            broken.append(step)
    if broken:
        session.execute(
            sa.update(GEN).where(GEN.c.id.in_(broken), GEN.c.status == Status.waiting.value)
            .values(status=Status.failed.value, error="An earlier step did not finish.",
                    finished_at=utcnow())
        )  # fmt: skip
    return _queue(session, ready)


def forget(session: Session, generation_id: str) -> None:
    """A deleted row is nobody's input any more, and waits on nothing."""
    links = table_of(StepInput)
    session.execute(sa.delete(links).where(
        sa.or_(links.c.step_id == generation_id, links.c.input_id == generation_id)))  # fmt: skip


def has_waiting_steps(session: Session, generation_id: str) -> bool:
    return bool(_waiting_on(session, [generation_id]))
