"""How long each model's predictions have been taking, to poll when they are likely done.

Polling on a fixed interval notices a finished prediction half an interval late on average
(a second-long interval: ~0.5 s on a 2 s image) and spends requests on predictions that are
nowhere near done. Predictions of one model take similar times, so one poll is put just after
the time the model's recent predictions took (their moving average plus their usual spread).
That poll may come up to `STRETCH` base intervals after the previous one: a prediction that
ends much earlier than usual is then seen up to 1.5 intervals later, one that ends as usual at
once and with fewer requests.

A poll scheduled before anything was learned of the model (a burst of predictions submitted
at once: all their first polls are scheduled before the first one ends) is moved the same way
when it falls due, without a request, still within `STRETCH` intervals of the last answer. For
that, each running prediction's creation time and the moment of our last answer about it are
kept (`note_answer`); a process that never saw the prediction polls it as before.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

SMOOTHING = 0.3  # weight of the newest observation (a moving average over the last handful)
MARGIN_S = 0.05  # and this long after the expected end: our clock against Replicate's
STRETCH = 2.5  # an aligned poll may come this many base intervals after the previous one
KEPT_ANSWERS = 10_000  # predictions kept (those ended without a last poll among them)


@dataclass(frozen=True)
class Usual:
    seconds: float  # moving average of how long predictions took
    spread: float  # moving average of how far one was from that


_lock = threading.Lock()
_usual: dict[str, Usual] = {}
# prediction id -> (Replicate's created_at, time.monotonic() of our last answer about it)
_answers: OrderedDict[str, tuple[datetime, float]] = OrderedDict()


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
        _answers.clear()


def note_answer(prediction_id: str, created_at: str | None, *, ago_s: float = 0.0) -> None:
    """Keep when a running prediction was created and that Replicate answered about it now
    (or `ago_s` seconds ago; without a readable creation time: forget it)."""
    try:
        created = parse_time(created_at) if created_at else None
    except ValueError:
        created = None
    with _lock:
        _answers.pop(prediction_id, None)
        if created is None:
            return
        _answers[prediction_id] = (created, time.monotonic() - ago_s)
        if len(_answers) > KEPT_ANSWERS:
            _answers.popitem(last=False)


def forget_answer(prediction_id: str) -> None:
    with _lock:
        _answers.pop(prediction_id, None)


def last_answer(prediction_id: str) -> tuple[float, float] | None:
    """(seconds since the prediction was created, by our clock against Replicate's; seconds
    since our last answer about it), if this process noted it."""
    with _lock:
        known = _answers.get(prediction_id)
    if known is None:
        return None
    created, answered = known
    return (datetime.now(UTC) - created).total_seconds(), time.monotonic() - answered


def aligned_delay(
    model_id: str, age_s: float, interval_s: float, since_poll_s: float = 0.0
) -> float | None:
    """When the model's predictions usually end within `STRETCH` poll intervals of the last
    poll (`since_poll_s` ago), the delay to just after that; else None (nothing learned, or the
    usual time has passed)."""
    known = usual(model_id)
    if known is None:
        return None
    to_end = known.seconds + known.spread + MARGIN_S - age_s
    return to_end if 0 < to_end <= interval_s * STRETCH - since_poll_s else None


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
