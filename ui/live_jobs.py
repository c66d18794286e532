"""This campaign's recent jobs, refreshed every two seconds without rerunning the whole page.

Finished media is shown inline from the media store (never Streamlit's static folder, which is
public); only the few newest rows are drawn, so each refresh stays cheap.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from core.generation import gallery
from core.media import store
from core.models import Generation, Status, User, utcnow
from ui.errors import friendly_errors
from ui.session import db

RECENT = 6
BADGES = {
    Status.queued: "🕓 queued",
    Status.waiting: "⏳ waiting for an earlier step",
    Status.running: "⚙️ running",
    Status.succeeded: "✅ succeeded",
    Status.failed: "❌ failed",
    Status.canceled: "🚫 canceled",
}


def _elapsed(row: Generation) -> str:
    start: datetime = row.started_at or row.created_at
    end: datetime = row.finished_at or utcnow()
    return f"{max((end - start).total_seconds(), 0):.1f} s"


def _media(row: Generation) -> None:
    path = str(store.abs_path(row.media_path))
    if row.kind == "image":
        st.image(path, width=320)
    elif row.kind == "audio":
        st.audio(path)
    else:
        st.video(path)


def _row(row: Generation) -> None:
    with st.container(border=True):
        head, status = st.columns([4, 2])
        head.markdown(f"**{row.kind}** · `{row.id}` · {row.model}")
        prompt = row.prompt if len(row.prompt) <= 120 else row.prompt[:119] + "…"
        head.caption(prompt)
        status.markdown(f"{BADGES.get(row.status, row.status)} · {_elapsed(row)}")
        if row.status == Status.succeeded and row.media_path:
            _media(row)
        elif row.status == Status.failed and row.error:
            st.error(row.error)
        elif row.error:  # e.g. Replicate unreachable for now: the job goes on
            st.caption(row.error)


@st.fragment(run_every=2)
def recent_jobs(user: User, campaign_id: str, limit: int = RECENT) -> None:
    filters = gallery.GalleryFilter(campaign_id=campaign_id)
    rows: list[Generation] = []
    # Refreshed every two seconds: a passing failure shows a message and the next run retries.
    with friendly_errors(), db() as session:
        rows = gallery.search(session=session, actor=user, filters=filters, per_page=limit).items
    if not rows:
        st.caption("Nothing generated in this campaign yet.")
    for row in rows:
        _row(row)
