"""This campaign's recent jobs, refreshed without rerunning the whole page (every two seconds
while one is open, seldom otherwise); and what every live job list shows: time left from the
model's usual time, the logs on demand.

Finished media is shown inline from the media store (never Streamlit's static folder, which is
public); only the few newest rows are drawn, so each refresh stays cheap.
"""

from __future__ import annotations

import time
from datetime import datetime

import streamlit as st

from core import catalog
from core.errors import NotFound
from core.generation import gallery, progress
from core.media import store
from core.models import OPEN_STATUSES, Generation, Status, User, utcnow
from ui import words
from ui.errors import friendly_errors
from ui.session import db
from ui.units import usd

RECENT = 6
BADGES = {
    Status.queued: "🕓 queued",
    Status.waiting: "⏳ waiting for an earlier step",
    Status.running: "⚙️ running",
    Status.succeeded: "✅ succeeded",
    Status.failed: "❌ failed",
    Status.canceled: "🚫 canceled",
}
LOGS_KEY = "live_jobs_logs"  # generation id -> (monotonic time fetched, status then, Logs)
LOGS_REFRESH_S = 5.0  # a running job's logs are asked for again at most this often
LOGS_STATUSES = (Status.running, Status.failed)
LOGS_LINES_SHOWN, LOGS_HEIGHT = 12, 280  # px


def usual_times(rows: list[Generation]) -> dict[str, float]:
    """The usual time of each running row's model (the others need none)."""
    running = [r for r in rows if r.status == Status.running]
    if not running:
        return {}
    with db() as session:
        return progress.usual_seconds(session, running)


def time_left(row: Generation, usual: dict[str, float]) -> str | None:
    usual_s = usual.get(row.id)
    return words.time_left(progress.seconds_left(row, usual_s), usual_s)


def _elapsed(row: Generation) -> str:
    start: datetime = row.started_at or row.created_at
    end: datetime = row.finished_at or utcnow()
    return words.seconds(max((end - start).total_seconds(), 0))


def retry_label(row: Generation) -> str:
    """'Retry · $0.04' for paid work (up to it when its prediction may be followed instead of
    paid for again, see `retry_quote`): the price is on the button that spends it."""
    if not row.estimated_cost_usd:
        return "Retry"
    return f"Retry · {'up to ' if row.prediction_id else ''}{usd(row.estimated_cost_usd)}"


def _paid(row: Generation) -> bool:
    try:
        return catalog.get_model(row.model).provider == "replicate"
    except NotFound:
        return False


def logs_toggle(user: User, row: Generation, *, key: str) -> None:
    """'Show logs' for a running or failed job on Replicate: the prediction's logs, asked for
    when turned on and, while it runs, again every few seconds (not on every refresh)."""
    kept: dict = st.session_state.setdefault(LOGS_KEY, {})
    if row.status not in LOGS_STATUSES or not _paid(row):
        kept.pop(row.id, None)
        return
    if not st.toggle("Show logs", key=key, help="What the model printed on Replicate."):
        kept.pop(row.id, None)
        return
    fetched_at, status, logs = kept.get(row.id, (0.0, None, None))
    stale = status != row.status or (
        row.status == Status.running and time.monotonic() - fetched_at > LOGS_REFRESH_S
    )
    if logs is None or stale:
        with friendly_errors(), db() as session:
            logs = progress.prediction_logs(session=session, actor=user, generation_id=row.id)
            kept[row.id] = (time.monotonic(), row.status, logs)
    if logs is None:
        return  # Replicate could not be asked: the message is shown
    if logs.note:
        st.caption(logs.note)
    if logs.text:  # a long log scrolls in a box instead of pushing the list down
        tall = logs.text.count("\n") > LOGS_LINES_SHOWN
        st.code(logs.text, language=None, height=LOGS_HEIGHT if tall else "content")


def _media(row: Generation) -> None:
    path = str(store.abs_path(row.media_path))
    if row.kind == "image":
        st.image(path, width=320)
    elif row.kind == "audio":
        st.audio(path)
    else:
        st.video(path)


def _row(user: User, row: Generation, usual: dict[str, float]) -> None:
    with st.container(border=True):
        head, status = st.columns([4, 2])
        head.markdown(f"**{words.what(row)}**")
        prompt = row.prompt if len(row.prompt) <= 120 else row.prompt[:119] + "…"
        head.caption(prompt)
        shown = [BADGES.get(row.status, row.status), _elapsed(row), time_left(row, usual)]
        status.markdown(" · ".join(s for s in shown if s))
        if row.status == Status.succeeded and row.media_path:
            _media(row)
        elif row.status == Status.failed and row.error:
            st.error(row.error)
        elif row.error:  # e.g. Replicate unreachable for now: the job goes on
            st.caption(row.error)
        logs_toggle(user, row, key=f"live_jobs_logs_{row.id}")


BUSY_REFRESH_S = 2  # while a job shown is queued, waiting or running
IDLE_REFRESH_S = 20  # otherwise: enough to pick up a teammate's job, without re-reading media


def recent_jobs(user: User, campaign_id: str, limit: int = RECENT) -> None:
    """The list, refreshed every two seconds while one of its jobs is open, and seldom once
    none is (a job started on this page reruns it, which speeds the refresh up again)."""
    busy = any(r.status in OPEN_STATUSES for r in _recent(user, campaign_id, limit))
    every = BUSY_REFRESH_S if busy else IDLE_REFRESH_S
    st.fragment(run_every=every)(_recent_jobs)(user, campaign_id, limit)


def _recent(user: User, campaign_id: str, limit: int) -> list[Generation]:
    filters = gallery.GalleryFilter(campaign_id=campaign_id)
    # Refreshed every few seconds: a passing failure shows a message and the next run retries.
    with friendly_errors():
        with db() as session:
            found = gallery.search(session=session, actor=user, filters=filters, per_page=limit)
            return found.items
    return []


def _recent_jobs(user: User, campaign_id: str, limit: int) -> None:
    rows = _recent(user, campaign_id, limit)
    usual: dict[str, float] = {}
    with friendly_errors():
        usual = usual_times(rows)
    if not rows:
        st.caption("Nothing generated in this campaign yet.")
    for row in rows:
        _row(user, row, usual)
