"""How long each model's predictions have been taking, to poll when they are likely done.

Polling on a fixed interval notices a finished prediction half an interval late on average
(a second-long interval: ~0.5 s on a 2 s image) and spends requests on predictions that are
nowhere near done. Predictions of one model take similar times, so one poll is put just after
the time the model's recent predictions took (their moving average plus their usual spread).
That poll may come up to `STRETCH` base intervals after the previous one: a prediction that
ends much earlier than usual is then seen up to 1.5 intervals later, one that ends as usual at
once and with fewer requests.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

SMOOTHING = 0.3  # weight of the newest observation (a moving average over the last handful)
MARGIN_S = 0.05  # and this long after the expected end: our clock against Replicate's
STRETCH = 2.5  # an aligned poll may come this many base intervals after the previous one


@dataclass(frozen=True)
class Usual:
    seconds: float  # moving average of how long predictions took
    spread: float  # moving average of how far one was from that


_lock = threading.Lock()
_usual: dict[str, Usual] = {}


def observe(model_id: str, created_at: str | None, completed_at: str | None) -> None:
    """Learn from a prediction that ended, by Replicate's own timestamps."""
    took = _seconds_between(created_at, completed_at)
    if took is None or took < 0:
        return
    with _lock:
        before = _usual.get(model_id)
        if before is None:
            _usual[model_id] = Usual(took, 0.0)
            return
        off = abs(took - before.seconds)
        _usual[model_id] = Usual(before.seconds + SMOOTHING * (took - before.seconds),
                                 before.spread + SMOOTHING * (off - before.spread))  # fmt: skip


def usual(model_id: str) -> Usual | None:
    with _lock:
        return _usual.get(model_id)


def forget() -> None:
    with _lock:
        _usual.clear()


def aligned_delay(model_id: str, age_s: float, base_delay_s: float) -> float:
    """The delay before the next poll: `base_delay_s`, or, when the model's predictions usually
    end within `STRETCH` base intervals from now, just after that."""
    known = usual(model_id)
    if known is None:
        return base_delay_s
    to_end = known.seconds + known.spread + MARGIN_S - age_s
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
