"""How far along work is, in figures people can trust: a model's usual time, what is left of a
running job's, how much of a render is done, and a prediction's logs as Replicate has them.

A model's usual time is the median of how long its latest jobs took here, start to stored file,
read from the database: every app server and worker sees the same figure, from the first
page view after a restart, and one job held up by an outage does not move it. Jobs asking for
another length (a 10 s clip against 5 s ones) are told apart once there are a few of them.
The worker's own moving average of Replicate's times (`providers.replicate_latency`) stands in
for a model with no finished job here yet, in the process that has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import median

from sqlmodel import Session, col, select

from core import catalog
from core.accounts.auth import require
from core.db import get_or_not_found
from core.models import FINAL_STATUSES, Generation, Status, User, utcnow
from core.providers import replicate_latency
from core.providers.base import known_prediction

RECENT_RUNS = 60  # of a model, newest first: enough to hold a few of each usual length
USUAL_OF = 20  # runs the median is taken over
SAME_LENGTH_MIN = 3  # runs of the same length before they alone are trusted
RUNNING_CAP = 0.95  # a running step never counts as done until it is
LOGS_KEPT_CHARS = 20_000  # the end of a long log: where the latest progress and the error are
LOGS_RETENTION_S = 3600  # Replicate deletes an API prediction's logs an hour after it ends


def usual_seconds(session: Session, rows: Iterable[Generation]) -> dict[str, float]:
    """generation id -> how long work like it usually takes on its model (left out: unknown)."""
    rows = list(rows)
    runs = {model: _recent_runs(session, model) for model in {r.model for r in rows}}
    usual = {}
    for row in rows:
        seconds = _usual(runs[row.model], row.params.get("duration"))
        if seconds is None and (learned := replicate_latency.usual(row.model)) is not None:
            seconds = learned.seconds
        if seconds is not None:
            usual[row.id] = seconds
    return usual


def _recent_runs(session: Session, model: str) -> list[tuple[float, object]]:
    """(seconds taken, requested duration) of the model's latest finished jobs."""
    query = (
        select(Generation.started_at, Generation.finished_at, Generation.params)
        .where(Generation.model == model, Generation.status == Status.succeeded,
               col(Generation.started_at).is_not(None), col(Generation.finished_at).is_not(None))
        .order_by(col(Generation.created_at).desc())
        .limit(RECENT_RUNS)
    )  # fmt: skip
    return [((end - start).total_seconds(), (params or {}).get("duration"))
            for start, end, params in session.exec(query) if start and end]  # fmt: skip


def _usual(runs: list[tuple[float, object]], duration: object) -> float | None:
    same = [took for took, asked in runs if asked == duration]
    if duration is not None and len(same) >= SAME_LENGTH_MIN:
        return median(same[:USUAL_OF])
    if not runs:
        return None
    return median(took for took, _ in runs[:USUAL_OF])


def running_for(row: Generation, now: datetime | None = None) -> float | None:
    """Seconds since a running job started (None when it is not running)."""
    if row.status != Status.running or row.started_at is None:
        return None
    return max(((now or utcnow()) - row.started_at).total_seconds(), 0.0)


def seconds_left(
    row: Generation, usual_s: float | None, now: datetime | None = None
) -> float | None:
    """The usual time less the time it has run: negative when it is taking longer than usual;
    None when it is not running or the model's usual time is unknown."""
    elapsed = running_for(row, now)
    if elapsed is None or usual_s is None:
        return None
    return usual_s - elapsed


def done_share(
    steps: list[Generation], usual: dict[str, float], now: datetime | None = None
) -> float:
    """How much of a render is done, 0 to 1: each step weighs its usual time (a clip counts for
    more than a frame), a running one counts for the part of it that has usually passed."""
    if not steps:
        return 0.0
    known = [usual[s.id] for s in steps if s.id in usual]
    typical = median(known) if known else 1.0
    total = done = 0.0
    for step in steps:
        weight = usual.get(step.id, typical)
        total += weight
        if step.status == Status.succeeded:
            done += weight
        elif (elapsed := running_for(step, now)) is not None and weight > 0:
            done += weight * min(elapsed / weight, RUNNING_CAP)
    return done / total if total else 0.0


@dataclass(frozen=True)
class Logs:
    text: str  # what the model printed, "" when there is nothing to show
    note: str = ""  # why there is nothing, or what is left out


def prediction_logs(*, session: Session, actor: User, generation_id: str) -> Logs:
    """The logs of a generation's prediction, fetched from Replicate now."""
    require(actor, "work.view")
    row = get_or_not_found(session, Generation, generation_id, "generation")
    if catalog.get_model(row.model).provider == "local":
        return Logs("", "No logs: drafts are made offline by the draft engine, not on Replicate.")
    if not known_prediction(row.prediction_id):
        if row.status in FINAL_STATUSES:
            return Logs("", "No logs: it ended before its prediction started on Replicate.")
        return Logs("", "No logs yet: its prediction has not started on Replicate.")
    # Imported here: pages that never show logs do not load the Replicate client.
    from core.providers.replicate import ReplicateProvider

    prediction = ReplicateProvider().lookup(row.prediction_id or "")
    return _logs(prediction.logs or "", prediction.status, prediction.completed_at)


def _logs(text: str, status: str, completed_at: str | None) -> Logs:
    if text.strip():
        if len(text) <= LOGS_KEPT_CHARS:
            return Logs(text)
        return Logs(text[-LOGS_KEPT_CHARS:], f"The last {LOGS_KEPT_CHARS:,} characters.")
    if status not in ("succeeded", "failed", "canceled"):
        return Logs("", "No logs yet: the model has not written any.")
    if _ended_s_ago(completed_at) > LOGS_RETENTION_S:
        return Logs("", "No logs: Replicate deletes them an hour after a prediction ends.")
    return Logs("", "The model wrote no logs.")


def _ended_s_ago(completed_at: str | None) -> float:
    try:
        ended = replicate_latency.parse_time(completed_at) if completed_at else None
    except ValueError:
        ended = None
    return 0.0 if ended is None else (datetime.now(UTC) - ended).total_seconds()
