"""Per-user request limits on paid work (`STUDIO_RATE_LIMITS`): they guard people, counted per
request a person makes; the providers' own pacing is `core.providers.pacing`."""

from __future__ import annotations

from limits import RateLimitItem, parse

from core.config import get_settings
from core.errors import StudioError
from core.providers.pacing import limiter, reset, wait_s

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


def take(user_id: str, counts: dict[str, int]) -> None:
    """Take `counts[kind]` requests for this user, or none at all if any kind is over its limit."""
    rules = per_kind_limits()
    wanted = {k: n for k, n in counts.items() if n and k in rules}
    for kind, n in wanted.items():
        if not limiter().test(rules[kind], user_id, kind, cost=n):
            wait = wait_s(rules[kind], user_id, kind)
            raise RateLimited(
                f"Too many {kind} requests (limit {rules[kind]}); try again in {wait} s.", wait
            )
    for kind, n in wanted.items():
        limiter().hit(rules[kind], user_id, kind, cost=n)
