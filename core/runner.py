"""One step of a generation's life: claim the row, run the provider, store the output, finish.

Every write after the claim is conditional on the claim token and the `running` status, so a
canceled row, or a row another worker took over after our lease ran out, is never overwritten.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlmodel import select

from core import catalog, jobs, lineage, media
from core.config import get_settings
from core.db import get_engine, session_scope
from core.errors import ProviderError, StudioError
from core.models import Generation, Status, utcnow
from core.outputs import describe_and_store
from core.providers.base import Finished, JobSpec, Pending
from core.sources import resolve_start_image

log = logging.getLogger(__name__)
GEN = Generation.__table__

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
SET_PREDICTION = sa.update(GEN).where(_OWNED).values(prediction_id=sa.bindparam("prediction"))
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
    )
)
HAS_WAITERS = (
    sa.select(GEN.c.id)
    .where(GEN.c.depends_on_id == sa.bindparam("gid"), GEN.c.status == Status.waiting.value)
    .limit(1)
)


def _holder_dead(claimed_by: str | None) -> bool:
    """A claim held by a process of this host that no longer exists can be taken at once."""
    if not claimed_by or ":" not in claimed_by:
        return False
    host, _, pid = claimed_by.rpartition(":")
    me = jobs.worker_id()
    return (
        host == me.rpartition(":")[0]
        and pid.isdigit()
        and pid != me.rpartition(":")[2]
        and (not media.pid_alive(int(pid)))
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
        new = jobs.new_token()
        values = {
            "gid": row.id, "from_status": row.status, "old_token": row.claim_token,
            "new_token": new, "me": jobs.worker_id(), "lease": now + jobs.lease(),
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
    lease = jobs.lease()
    me = jobs.worker_id()
    if row.claimed_by == me and row.lease_until is not None and row.lease_until - now > lease / 2:
        return token, row
    result = conn.execute(EXTEND, {"gid": row.id, "token": token, "lease": now + lease, "me": me})
    return (token, row) if result.rowcount == 1 else None


def _owned(generation_id: str, token: str):
    return (GEN.c.id == generation_id) & (GEN.c.claim_token == token) & (GEN.c.status == "running")


# Generations a worker of this process is stepping now, each with the (claim token, delivered
# prediction) of another step asked for meanwhile (a webhook's wake beside a scheduled poll):
# that one runs after, instead of polling and downloading the same prediction twice at once.
_NOT_ASKED = object()
_stepping: dict[str, object] = {}
_stepping_lock = threading.Lock()


def run_step(generation_id: str, token: str | None = None, delivered: dict | None = None) -> None:
    """One step. `delivered` is the prediction as a verified webhook brought it: a finished
    one is taken as is instead of read again from the API."""
    with _stepping_lock:
        if generation_id in _stepping:
            _stepping[generation_id] = (token, delivered)
            return
        _stepping[generation_id] = _NOT_ASKED
    try:
        _run_step(generation_id, token, delivered)
    finally:
        with _stepping_lock:
            asked = _stepping.pop(generation_id)
    if asked is not _NOT_ASKED:
        next_token, next_delivered = asked
        jobs.enqueue(generation_id, token=next_token, delivered=next_delivered)


def _run_step(generation_id: str, token: str | None, delivered: dict | None = None) -> None:
    claimed = claim(generation_id, token)
    if claimed is None:
        return
    token, row = claimed
    try:
        _advance(row, token, delivered)
    except ProviderError as error:
        _on_provider_error(generation_id, token, error)
    except StudioError as error:
        fail(generation_id, token, str(error))
    except Exception as error:  # a bug or an unexpected library error: fail, keep the worker
        log.exception("generation %s crashed", generation_id)
        fail(generation_id, token, f"Internal error ({type(error).__name__}): {error}")


def _advance(row: Row, token: str, delivered: dict | None = None) -> None:
    generation_id = row.id
    spec = catalog.get_model(row.model)
    client_palette: list[str] = []
    if spec.provider == "local" or spec.kind == "composite":  # only drafts draw in the palette
        with session_scope() as session:
            client_palette = lineage.palette_of(session, row)
    provider = provider_for(spec)
    with media.scratch_dir() as workdir:
        # A remote prediction already has its start image: polls skip the lookup (and for a
        # frame of a video, the ffmpeg extraction).
        start = None if row.prediction_id else resolve_start_image(row, workdir)
        job = JobSpec(
            generation_id=row.id, kind=row.kind, model=spec, params=dict(row.params),
            prompt=row.effective_prompt, negative_prompt=row.negative_prompt,
            palette=client_palette, seed=catalog.resolve_seed(row.params, row.prompt),
            workdir=workdir, start_image=start,
            prediction_id=row.prediction_id, delivered=delivered,
            metadata={"prompt": row.prompt, "model": row.model,
                      "seed": str(catalog.resolve_seed(row.params, row.prompt))},
        )  # fmt: skip
        outcome = provider.step(job, lambda pid: _record_prediction(generation_id, token, pid))
        if isinstance(outcome, Pending):
            jobs.enqueue(generation_id, token=token, delay_s=outcome.poll_after_s)
            return
        _succeed(row, spec, token, outcome)


def provider_for(spec: catalog.ModelSpec):
    if spec.kind == "composite":
        from core.providers.compose import ComposeProvider

        return ComposeProvider()
    if spec.provider == "local":
        from core.providers.local import LocalProvider

        return LocalProvider()
    from core.providers.replicate import ReplicateProvider

    return ReplicateProvider()


def _record_prediction(generation_id: str, token: str, prediction_id: str) -> bool:
    """Stored the moment it exists, so a restart polls it instead of creating another.

    An empty id clears it. False if the row is no longer ours (e.g. canceled meanwhile)."""
    with get_engine().begin() as conn:
        result = conn.execute(SET_PREDICTION, {
            "gid": generation_id, "token": token, "prediction": prediction_id or None,
        })  # fmt: skip
        return result.rowcount == 1


def _succeed(row: Row, spec: catalog.ModelSpec, token: str, outcome: Finished) -> None:
    stored = describe_and_store(
        outcome.path, outcome.ext, row.kind, outcome.facts, sha256=outcome.sha256
    )
    cost = catalog.actual_cost(
        spec, row.params, output_duration=stored.duration_s, predict_time_s=outcome.predict_time_s
    )
    with session_scope() as session:
        conn = session.connection()
        result = conn.execute(SUCCEED, {
            "gid": row.id, "token": token, "now": utcnow(), "cost": cost,
            "sha": stored.file.sha256, "path": stored.file.path, "mime": stored.file.mime,
            "size": stored.file.bytes, "w": stored.width, "h": stored.height,
            "duration": stored.duration_s, "thumb": stored.thumb_path,
        })  # fmt: skip
        if result.rowcount != 1:
            # Canceled (or taken over) while we rendered: drop the output unless it is shared.
            lineage.remove_media_if_unused(session, stored.file.path)
            return
        waiting = conn.execute(HAS_WAITERS, {"gid": row.id}).first() is not None
        released = lineage.release_dependents(session, row.id) if waiting else []
    for dependent_id in released:
        jobs.enqueue(dependent_id)


def fail(generation_id: str, token: str, message: str) -> None:
    with session_scope() as session:
        result = session.execute(
            sa.update(GEN)
            .where(_owned(generation_id, token))
            .values(
                status=Status.failed.value,
                error=message[:2000],
                finished_at=utcnow(),
                claim_token=None,
                lease_until=None,
            )  # fmt: skip
        )
        if result.rowcount == 1:
            lineage.fail_dependents(session, generation_id, f"Step {generation_id} failed.")


def _on_provider_error(generation_id: str, token: str, error: ProviderError) -> None:
    with session_scope() as session:
        row = session.get(Generation, generation_id)
        attempts = row.attempts if row else 0
    if not error.transient or attempts >= get_settings().studio_max_attempts:
        suffix = f" (after {attempts} attempts)" if error.transient else ""
        fail(generation_id, token, f"{error}{suffix}")
        return
    delay = error.retry_after_s if error.retry_after_s is not None else jobs.backoff_delay(attempts)
    with session_scope() as session:
        result = session.execute(
            sa.update(GEN)
            .where(_owned(generation_id, token))
            .values(status=Status.queued.value, error=f"Retrying: {error}", claim_token=None,
                    lease_until=None, next_attempt_at=utcnow() + timedelta(seconds=delay))
        )  # fmt: skip
    if result.rowcount == 1:
        jobs.enqueue(generation_id, delay_s=delay)


def reconcile() -> int:
    """Re-drive every unfinished generation that no live worker holds. Returns how many."""
    now = utcnow()
    media.sweep_scratch()
    with session_scope() as session:
        open_rows = session.exec(
            select(Generation.id, Generation.status, Generation.lease_until,
                   Generation.claimed_by, Generation.next_attempt_at)
            .where(Generation.status.in_([Status.queued, Status.running]))
        ).all()  # fmt: skip
        released = lineage.release_orphaned_waiters(session)
    due = [
        gid
        for gid, status, lease_until, holder, next_at in open_rows
        if (status == Status.queued and (next_at is None or next_at <= now))
        or (
            status == Status.running
            and ((lease_until and lease_until < now) or _holder_dead(holder))
        )
    ]
    for gid in [*due, *released]:
        jobs.enqueue(gid)
    return len(due) + len(released)
