"""Per-user request limits on paid work (`STUDIO_RATE_LIMITS`): they guard people, counted per
request a person makes, in the database so that every process shares them; the providers' own
pacing is `core.providers.pacing`."""

from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa
from limits import RateLimitItem, parse
from sqlmodel import Session, col, select

from core.config import get_settings
from core.db import lock_row
from core.errors import StudioError
from core.models import RateHit, User, table_of, utcnow
from core.providers.pacing import reset

__all__ = ["RateLimited", "per_kind_limits", "reset", "take"]


class RateLimited(StudioError):
    def __init__(self, message: str, retry_after_s: float):
        self.retry_after_s = retry_after_s
        super().__init__(message)


def per_kind_limits() -> dict[str, RateLimitItem]:
    """`STUDIO_RATE_LIMITS="image=10/minute;video=5/minute;audio=10/minute"`."""
    parsed = {}
    for part in get_settings().studio_rate_limits.split(";"):
        kind, _, rule = part.partition("=")
        if kind.strip() and rule.strip():
            parsed[kind.strip()] = parse(rule.strip())
    return parsed


def take(session: Session, user_id: str, counts: dict[str, int]) -> None:
    """Take `counts[kind]` requests for this user, or none at all if any kind is over its limit.

    Counted in the database, inside the request's own transaction and under a lock on the
    user's row: every process (app servers, CLI runs) shares the same count, and a request
    that is refused or rolled back takes nothing."""
    rules = per_kind_limits()
    wanted = {k: n for k, n in counts.items() if n and k in rules}
    if not wanted:
        return
    lock_row(session, table_of(User).c.username, user_id)
    now = utcnow()
    for kind, n in wanted.items():
        rule = rules[kind]
        since = now - timedelta(seconds=rule.get_expiry())
        hits = session.exec(
            select(RateHit.at, RateHit.cost).where(
                RateHit.user_id == user_id, RateHit.kind == kind, col(RateHit.at) > since
            )
        ).all()
        if sum(cost for _, cost in hits) + n > rule.amount:
            oldest = min(at for at, _ in hits) if hits else now
            wait = max(1, math.ceil((oldest - since).total_seconds()))
            raise RateLimited(
                f"Too many {kind} requests (limit {rule}); try again in {wait} s.", wait
            )
    for kind, n in wanted.items():
        session.add(RateHit(user_id=user_id, kind=kind, cost=n, at=now))
    longest = max(rule.get_expiry() for rule in rules.values())
    session.execute(sa.delete(table_of(RateHit)).where(
        table_of(RateHit).c.at < now - timedelta(seconds=longest)))  # fmt: skip
