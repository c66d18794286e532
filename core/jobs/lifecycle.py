"""A generation row's life in the queue: claim, lease, record the prediction, succeed, fail,
retry, and the reconcile that re-drives what was left unfinished.

Every write after the claim is conditional on the claim token and the `running` status, so a
canceled row, or a row another worker took over after our lease ran out, is never overwritten.
"""

from __future__ import annotations

import logging
import os
import random
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import col, select

from core.config import get_settings
from core.db import get_engine, session_scope
from core.errors import ProviderError
from core.jobs import dependents, queue
from core.media import store, usage
from core.media.outputs import StoredOutput
from core.models import Generation, Status, table_of, utcnow
from core.providers.base import PredictionTaken, known_prediction

log = logging.getLogger(__name__)

GEN = table_of(Generation)

# The statements of every step, built once: building and keying a statement costs several times
# what SQLite takes to run it. Bound parameter names differ from column names (SQLAlchemy
# reserves those in SET clauses).
_OWNED = (
    (GEN.c.id == sa.bindparam("gid"))
    & (GEN.c.claim_token == sa.bindparam("token"))
    & (GEN.c.status == Status.running.value)
)
LOAD = sa.select(GEN).where(GEN.c.id == sa.bindparam("gid"))
TAKE = (
    sa.update(GEN)
    .where(GEN.c.id == sa.bindparam("gid"), GEN.c.status == sa.bindparam("from_status"))
    .where(sa.or_(GEN.c.claim_token.is_(None), GEN.c.claim_token == sa.bindparam("old_token")))
    .values(
        status=Status.running.value,
        claim_token=sa.bindparam("new_token"),
        claimed_by=sa.bindparam("me"),
        lease_until=sa.bindparam("lease"),
        attempts=GEN.c.attempts + 1,
        started_at=sa.bindparam("started"),
        next_attempt_at=None,
    )
)
TAKE_RETURNING = TAKE.returning(*GEN.c)  # SQLite >= 3.35, PostgreSQL; not MySQL
EXTEND = (
    sa.update(GEN)
    .where(_OWNED)
    .values(lease_until=sa.bindparam("lease"), claimed_by=sa.bindparam("me"))
)
SET_PREDICTION = (
    sa.update(GEN)
    .where(_OWNED)
    .values(
        prediction_id=sa.bindparam("prediction"),
        prediction_created_at=sa.bindparam("created"),
        unreachable_count=0,
    )
)
_OTHER = GEN.alias("other")
# The same, unless another row follows that prediction already.
SET_UNCLAIMED_PREDICTION = SET_PREDICTION.where(
    ~sa.exists().where(
        _OTHER.c.prediction_id == sa.bindparam("prediction"), _OTHER.c.id != GEN.c.id
    )
)
NOTE_UNREACHABLE = (
    sa.update(GEN)
    .where(_OWNED)
    .values(unreachable_count=GEN.c.unreachable_count + 1, error=sa.bindparam("message"))
)
REACHED_AGAIN = sa.update(GEN).where(_OWNED).values(unreachable_count=0, error=None)
SUCCEED = (
    sa.update(GEN)
    .where(_OWNED)
    .values(
        status=Status.succeeded.value,
        finished_at=sa.bindparam("now"),
        error=None,
        cost_usd=sa.bindparam("cost"),
        media_sha256=sa.bindparam("sha"),
        media_path=sa.bindparam("path"),
        media_mime=sa.bindparam("mime"),
        media_bytes=sa.bindparam("size"),
        width=sa.bindparam("w"),
        height=sa.bindparam("h"),
        duration_s=sa.bindparam("duration"),
        thumb_path=sa.bindparam("thumb"),
        claim_token=None,
        lease_until=None,
        unreachable_count=0,
    )
)


def worker_id() -> str:
    # Recomputed: a forked worker process has another pid than the module's importer.
    return f"{socket.gethostname()}:{os.getpid()}"


# A queued row with no message in the queue this long after its last one was due is sent one
# again: its message was lost (a worker died between taking it and claiming the row, a queue
# emptied). The grace lets a worker that has just taken a message claim the row.
MESSAGE_LOST_AFTER = timedelta(seconds=30)


@queue.on_enqueue
def _note_message(generation_id: str, delay_s: float) -> None:
    due = utcnow() + timedelta(seconds=max(delay_s, 0.0))
    with get_engine().begin() as conn:
        conn.execute(sa.update(GEN).where(GEN.c.id == generation_id).values(message_due_at=due))


def lease() -> timedelta:
    return timedelta(seconds=get_settings().studio_job_lease_s)


def new_token() -> str:
    return secrets.token_hex(8)


def backoff_delay(attempt: int) -> float:
    """Exponential with jitter, capped: 2, 4, 8 ... 60 s."""
    base = min(60.0, 2.0**attempt)
    return base / 2 + random.uniform(0, base / 2)


def _holder_dead(claimed_by: str | None) -> bool:
    """A claim held by a process of this host that no longer exists can be taken at once."""
    if not claimed_by or ":" not in claimed_by:
        return False
    host, _, pid = claimed_by.rpartition(":")
    me = worker_id()
    return (
        host == me.rpartition(":")[0]
        and pid.isdigit()
        and pid != me.rpartition(":")[2]
        and (not store.pid_alive(int(pid)))
    )


def claim(generation_id: str, token: str | None) -> tuple[str, Row] | None:
    """Take the row for this worker: (claim token, the row as claimed), or None if it is not
    ours to run."""
    now = utcnow()
    with get_engine().begin() as conn:
        row = conn.execute(LOAD, {"gid": generation_id}).one_or_none()
        if row is None:
            return None
        if token is not None and row.status == Status.running and row.claim_token == token:
            return _extend(conn, row, token, now)
        takeable = row.status == Status.queued and (
            row.next_attempt_at is None or row.next_attempt_at <= now
        )
        stale = row.status == Status.running and (
            (row.lease_until is not None and row.lease_until < now) or _holder_dead(row.claimed_by)
        )
        if not (takeable or stale):
            return None
        new = new_token()
        values = {
            "gid": row.id, "from_status": row.status, "old_token": row.claim_token,
            "new_token": new, "me": worker_id(), "lease": now + lease(),
            "started": row.started_at or now,
        }  # fmt: skip
        # The row as the update left it: a previous holder may have stored a prediction id
        # between the read above and the update.
        if conn.dialect.update_returning:
            taken = conn.execute(TAKE_RETURNING, values).one_or_none()
            return None if taken is None else (new, taken)
        if conn.execute(TAKE, values).rowcount != 1:
            return None
        return new, conn.execute(LOAD, {"gid": generation_id}).one()


def _extend(conn: sa.Connection, row: Row, token: str, now: datetime) -> tuple[str, Row] | None:
    """Our own next step (a poll): the lease is renewed only once half of it has run out, so a
    poll of a young prediction writes nothing before it has news."""
    held_for = lease()
    me = worker_id()
    if (
        row.claimed_by == me
        and row.lease_until is not None
        and row.lease_until - now > held_for / 2
    ):
        return token, row
    result = conn.execute(
        EXTEND, {"gid": row.id, "token": token, "lease": now + held_for, "me": me}
    )
    return (token, row) if result.rowcount == 1 else None


def hold_until(generation_id: str, token: str, until: datetime) -> bool:
    """Keep the claim until `until` (a poll scheduled that far ahead, plus a lease): no other
    worker takes over a step whose next poll is simply not due yet. False if not ours."""
    with get_engine().begin() as conn:
        result = conn.execute(
            EXTEND, {"gid": generation_id, "token": token, "lease": until, "me": worker_id()}
        )
        return result.rowcount == 1


def hold_for_poll(row: Row, token: str, poll_after_s: float) -> None:
    """Keep a claimed step until its next poll is due and claimed again. Written only when the
    lease it was claimed with (or since extended: at least that) would run out first, so a
    poll of a young prediction writes nothing."""
    poll_at = utcnow() + timedelta(seconds=poll_after_s)
    if row.lease_until is None or row.lease_until < poll_at + lease() / 3:
        hold_until(row.id, token, poll_at + lease())


@contextmanager
def heartbeat(generation_id: str, token: str) -> Iterator[None]:
    """While a step runs (a render, a create, a download), its lease is renewed every third of
    it: a short lease then tells a dead worker from a busy one."""
    stop = threading.Event()
    every = lease().total_seconds() / 3

    def beat() -> None:
        while not stop.wait(every):
            try:
                if not hold_until(generation_id, token, utcnow() + lease()):
                    return  # canceled or taken over: nothing more to hold
            except Exception:  # the database away for a moment: the next beat tries again
                log.warning("generation %s: lease not renewed", generation_id, exc_info=True)

    beating = threading.Thread(target=beat, name=f"heartbeat-{generation_id}", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join(timeout=5)


def _owned(generation_id: str, token: str):
    return (GEN.c.id == generation_id) & (GEN.c.claim_token == token) & (GEN.c.status == "running")


def predictions_followed_elsewhere(generation_id: str, model: str) -> frozenset[str]:
    """The predictions other rows of this model made in the last day follow (a lost create's
    search must not take one of them for its own)."""
    since = utcnow() - timedelta(days=1)
    query = sa.select(GEN.c.prediction_id).where(
        GEN.c.model == model, GEN.c.id != generation_id, GEN.c.created_at > since,
        GEN.c.prediction_id.is_not(None),
    )  # fmt: skip
    with get_engine().connect() as conn:
        found: list[str] = list(conn.execute(query).scalars())
    return frozenset(p for p in found if known_prediction(p))


def record_prediction(generation_id: str, token: str, prediction_id: str) -> bool:
    """Stored the moment it exists, so a restart polls it instead of creating another.

    An empty id clears it. False if the row is no longer ours (e.g. canceled meanwhile);
    PredictionTaken if another row follows that prediction (a lost create found an identical
    request's): checked and recorded in one turn per prediction id, so two recoveries at the
    same instant never both take it."""
    exists = known_prediction(prediction_id)
    values = {"gid": generation_id, "token": token, "prediction": prediction_id or None,
              "created": utcnow() if exists else None}  # fmt: skip
    with get_engine().begin() as conn:
        if not exists:
            return conn.execute(SET_PREDICTION, values).rowcount == 1
        if conn.dialect.name == "postgresql":  # in SQLite the one statement below is atomic
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:p, 0))"),
                         {"p": prediction_id})  # fmt: skip
        if conn.execute(SET_UNCLAIMED_PREDICTION, values).rowcount == 1:
            return True
        others = sa.select(GEN.c.id).where(
            GEN.c.prediction_id == prediction_id, GEN.c.id != generation_id
        )
        if conn.execute(others).first() is not None:
            raise PredictionTaken(prediction_id)
        return False


def note_unreachable(generation_id: str, token: str, message: str | None) -> None:
    """The provider could not be reached this time (`message` says so on the row, and counts
    it), or was reached again after that (None: the count and message go)."""
    with get_engine().begin() as conn:
        if message:
            conn.execute(NOTE_UNREACHABLE, {"gid": generation_id, "token": token,
                                            "message": message[:2000]})  # fmt: skip
        else:
            conn.execute(REACHED_AGAIN, {"gid": generation_id, "token": token})


def succeed(generation_id: str, token: str, stored: StoredOutput, cost: float | None) -> None:
    """Record the stored output and release the steps waiting on this one. An output that came
    too late (canceled, or taken over, while we rendered) is dropped unless it is shared."""
    with session_scope() as session:
        conn = session.connection()
        result = conn.execute(SUCCEED, {
            "gid": generation_id, "token": token, "now": utcnow(), "cost": cost,
            "sha": stored.file.sha256, "path": stored.file.path, "mime": stored.file.mime,
            "size": stored.file.bytes, "w": stored.width, "h": stored.height,
            "duration": stored.duration_s, "thumb": stored.thumb_path,
        })  # fmt: skip
        if result.rowcount != 1:
            usage.remove_if_unused(session, stored.file.path)
            return
        released = dependents.release(session, generation_id)
    for dependent_id in released:
        queue.enqueue(dependent_id)


def fail(generation_id: str, token: str, message: str, *, cost: float | None = None) -> None:
    """End the row `failed`; `cost` is what the provider billed all the same, if anything."""
    values = {"status": Status.failed.value, "error": message[:2000], "finished_at": utcnow(),
              "claim_token": None, "lease_until": None}  # fmt: skip
    if cost is not None:
        values["cost_usd"] = cost
    with session_scope() as session:
        result = session.exec(sa.update(GEN).where(_owned(generation_id, token)).values(values))
        if result.rowcount == 1:
            dependents.fail(session, generation_id, f"Step {generation_id} failed.")


def retry_or_fail(generation_id: str, token: str, error: ProviderError) -> None:
    """A transient provider error queues the row again after a backoff (or the provider's
    Retry-After) until the attempts run out; anything else fails it."""
    with session_scope() as session:
        row = session.get(Generation, generation_id)
        attempts = row.attempts if row else 0
    if not error.transient or attempts >= get_settings().studio_max_attempts:
        suffix = f" (after {attempts} attempts)" if error.transient else ""
        fail(generation_id, token, f"{error}{suffix}")
        return
    delay = error.retry_after_s if error.retry_after_s is not None else backoff_delay(attempts)
    with session_scope() as session:
        result = session.exec(
            sa.update(GEN)
            .where(_owned(generation_id, token))
            .values(status=Status.queued.value, error=f"Retrying: {error}", claim_token=None,
                    lease_until=None, next_attempt_at=utcnow() + timedelta(seconds=delay))
        )  # fmt: skip
    if result.rowcount == 1:
        queue.enqueue(generation_id, delay_s=delay)


@queue.handles(queue.RECONCILE)
def reconcile() -> int:
    """Re-drive every unfinished generation that no live worker holds. Returns how many."""
    now = utcnow()
    store.sweep_scratch()
    with session_scope() as session:
        # SQLModel's select() is typed for at most 4 columns (fastapi/sqlmodel#271).
        open_rows = session.exec(
            select(Generation.id, Generation.status, Generation.lease_until,  # type: ignore[call-overload]
                   Generation.claimed_by, Generation.next_attempt_at, Generation.message_due_at)
            .where(col(Generation.status).in_([Status.queued, Status.running]))
        ).all()  # fmt: skip
        released = dependents.release_orphaned(session)
    in_queue = queue.waiting_ids()
    due = [
        gid
        for gid, status, lease_until, holder, next_at, message_due in open_rows
        if (
            status == Status.queued
            and (next_at is None or next_at <= now)
            and gid not in in_queue
            and (message_due is None or message_due < now - MESSAGE_LOST_AFTER)
        )
        or (
            status == Status.running
            and ((lease_until and lease_until < now) or _holder_dead(holder))
        )
    ]
    for gid in [*due, *released]:
        queue.enqueue(gid)
    return len(due) + len(released)
