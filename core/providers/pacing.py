"""The counters every rate limit shares (the `limits` library), and Replicate's own create limit
that paces every worker.

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

_lock = threading.Lock()
_limiters: dict[str, MovingWindowRateLimiter] = {}


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
    """Forget the limiters built so far (their counters too, when kept in memory)."""
    with _lock:
        _limiters.clear()


def wait_s(item: RateLimitItem, *identifiers: str) -> int:
    """Whole seconds until `item` admits another request for `identifiers`."""
    reset_at = limiter().get_window_stats(item, *identifiers).reset_time
    return max(1, math.ceil(reset_at - time.time()))


def replicate_create_slot() -> float | None:
    """None if a prediction may be created now, else seconds to wait (Replicate: 600/min)."""
    rule = parse(get_settings().studio_replicate_create_limit)
    if limiter().hit(rule, "replicate-create"):
        return None
    return float(wait_s(rule, "replicate-create"))
