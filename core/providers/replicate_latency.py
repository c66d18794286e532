"""How long each model's predictions have been taking, to poll when they are likely done.

Polling on a fixed interval notices a finished prediction half an interval late on average
(a second-long interval: ~0.5 s on a 2 s image). Predictions of one model take similar times, so
one poll is moved to just after the time the model's recent predictions took. Polls are never
made more often than the backoff allows; one is only shifted, by at most half an interval.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

SMOOTHING = 0.3  # weight of the newest observation (a moving average over the last handful)
MARGIN_S = 0.05  # poll this long after the expected end (our clock against Replicate's)
MARGIN_SHARE = 0.05  # plus this share of the expected time, for the usual spread
STRETCH = 1.5  # an aligned poll may come this many base intervals after the previous one

_lock = threading.Lock()
_expected_s: dict[str, float] = {}


def observe(model_id: str, created_at: str | None, completed_at: str | None) -> None:
    """Learn from a prediction that ended, by Replicate's own timestamps."""
    took = _seconds_between(created_at, completed_at)
    if took is None or took < 0:
        return
    with _lock:
        previous = _expected_s.get(model_id)
        _expected_s[model_id] = (
            took if previous is None else previous + SMOOTHING * (took - previous)
        )


def expected_s(model_id: str) -> float | None:
    with _lock:
        return _expected_s.get(model_id)


def forget() -> None:
    with _lock:
        _expected_s.clear()


def aligned_delay(model_id: str, age_s: float, base_delay_s: float) -> float:
    """The delay before the next poll: `base_delay_s`, or, when the model's predictions usually
    end within `STRETCH` base intervals from now, just after that."""
    expected = expected_s(model_id)
    if expected is None:
        return base_delay_s
    to_end = expected * (1 + MARGIN_SHARE) + MARGIN_S - age_s
    if 0 < to_end <= base_delay_s * STRETCH:
        return to_end
    return base_delay_s


def _seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    try:
        return (parse_time(end) - parse_time(start)).total_seconds()
    except ValueError:
        return None


def parse_time(stamp: str) -> datetime:
    """Replicate's ISO time ("...Z" or "+00:00"); one without a zone is taken as UTC."""
    when = datetime.fromisoformat(stamp)
    return when if when.tzinfo else when.replace(tzinfo=UTC)
