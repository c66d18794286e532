"""Request rate limits with the `limits` library: per user and kind for Replicate requests, and
Replicate's own create limit shared by every worker.

Storage is in memory by default (the embedded queue's workers are threads of one process) and
Redis when the queue runs on Redis (separate worker processes must share the counters).
"""

from __future__ import annotations

import math
import threading
import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from core.config import get_settings
from core.errors import StudioError

_lock = threading.Lock()
_limiters: dict[str, MovingWindowRateLimiter] = {}


class RateLimited(StudioError):
    def __init__(self, message: str, retry_after_s: float):
        self.retry_after_s = retry_after_s
        super().__init__(message)


def _storage_url() -> str:
    queue = get_settings().queue_url
    return queue if queue.startswith(("redis://", "rediss://")) else "memory://"


def limiter() -> MovingWindowRateLimiter:
    url = _storage_url()
    with _lock:
        if url not in _limiters:
            _limiters[url] = MovingWindowRateLimiter(storage_from_string(url))
        return _limiters[url]


def reset() -> None:
    with _lock:
        _limiters.clear()


def per_kind_limits() -> dict[str, RateLimitItem]:
    """`STUDIO_RATE_LIMITS="image=10/minute;video=5/minute;audio=10/minute"`."""
    parsed = {}
    for part in get_settings().studio_rate_limits.split(";"):
        kind, _, rule = part.partition("=")
        if kind.strip() and rule.strip():
            parsed[kind.strip()] = parse(rule.strip())
    return parsed


def _wait_s(item: RateLimitItem, *identifiers: str) -> int:
    reset_at = limiter().get_window_stats(item, *identifiers).reset_time
    return max(1, math.ceil(reset_at - time.time()))


def take(user_id: str, counts: dict[str, int]) -> None:
    """Take `counts[kind]` requests for this user, or none at all if any kind is over its limit."""
    rules = per_kind_limits()
    wanted = {k: n for k, n in counts.items() if n and k in rules}
    for kind, n in wanted.items():
        if not limiter().test(rules[kind], user_id, kind, cost=n):
            wait = _wait_s(rules[kind], user_id, kind)
            raise RateLimited(
                f"Too many {kind} requests (limit {rules[kind]}); try again in {wait} s.", wait
            )
    for kind, n in wanted.items():
        limiter().hit(rules[kind], user_id, kind, cost=n)


def replicate_create_slot() -> float | None:
    """None if a prediction may be created now, else seconds to wait (Replicate: 600/min)."""
    rule = parse(get_settings().studio_replicate_create_limit)
    if limiter().hit(rule, "replicate-create"):
        return None
    return float(_wait_s(rule, "replicate-create"))
