"""Jobs: every generation as a job, live: status, elapsed time and the time left from its
model's usual time, attempts and error, a paid job's logs on demand; cancel and retry for those
who may. Filters (status, kind, campaign) live in the URL.

The list is a fragment that refreshes itself every two seconds; the filters above it are not
redrawn by the refresh, so a half-made choice is never lost.
"""

from __future__ import annotations

import time

import streamlit as st

from core.accounts import auth
from core.generation import gallery
from core.generation import service as gen
from core.models import OPEN_STATUSES, Generation, Status, User, utcnow
from ui import live_jobs, words
from ui.errors import friendly_errors, shown
from ui.filters import job_filters
from ui.live_jobs import BADGES
from ui.media import short
from ui.session import db, display_names, require

PAGE = "jobs"
PER_PAGE = 25
PAGE_KEY = f"{PAGE}_page"
PENDING_KEY = f"{PAGE}_pending"
# What the last Cancel/Retry did, shown on each refresh of the list for a while (a message drawn
# once would be wiped by the refresh two seconds later, and the button would seem to do nothing).
OUTCOME_KEY = f"{PAGE}_outcome"
OUTCOME_SHOWN_S = 15
ACTIONS = {"cancel": (gen.cancel, "Canceled"), "retry": (gen.retry, "Queued again")}
RETRYABLE = (Status.failed, Status.canceled)


def _elapsed(row: Generation, usual: dict[str, float]) -> str:
    """How long it has waited (not started yet), run (running, with the time left from its
    model's usual time) or took (finished)."""
    end = row.finished_at or utcnow()
    if row.started_at is None:
        verb = "waited" if row.finished_at else "waiting"
        return f"{verb} {words.seconds(max((end - row.created_at).total_seconds(), 0))}"
    verb = "took" if row.finished_at else "running for"
    took = f"{verb} {words.seconds(max((end - row.started_at).total_seconds(), 0))}"
    left = live_jobs.time_left(row, usual)
    return f"{took} · {left}" if left else took


def _request(action: str, generation_id: str) -> None:
    """Button callback: only remembered here; done in the list below, where errors can show."""
    st.session_state[PENDING_KEY] = (action, generation_id)


def _perform_pending(user: User) -> None:
    if pending := st.session_state.pop(PENDING_KEY, None):
        action, generation_id = pending
        service, done = ACTIONS[action]
        try:
            with db() as session:
                row = service(session=session, actor=user, generation_id=generation_id)
                note = gen.retry_note(row) if action == "retry" else ""
        except Exception as error:
            outcome = (False, shown(error))
        else:
            outcome = (True, f"{done}: {_named(row)}.{note}")
        st.session_state[OUTCOME_KEY] = (*outcome, time.monotonic() + OUTCOME_SHOWN_S)
    if outcome := st.session_state.get(OUTCOME_KEY):
        succeeded, message, until = outcome
        if time.monotonic() > until:
            del st.session_state[OUTCOME_KEY]
        elif succeeded:
            st.success(message, icon="✅")
        else:
            st.error(message, icon="⚠️")


def _buttons(user: User, row: Generation, where) -> None:
    if not auth.can_as_owner_or_admin(user, row.created_by, "job.manage"):
        return
    if row.status in OPEN_STATUSES:
        where.button("Cancel", key=f"{PAGE}_cancel_{row.id}", on_click=_request,
                     args=("cancel", row.id))  # fmt: skip
    elif row.status in RETRYABLE:
        where.button(live_jobs.retry_label(row), key=f"{PAGE}_retry_{row.id}", on_click=_request,
                     args=("retry", row.id), help=gen.retry_quote(row))  # fmt: skip


def _named(row: Generation) -> str:
    """'Image · Nano Banana (Google) “a can on a beach”': which job, in words."""
    return f"{words.what(row)} “{short(row.prompt, 40)}”" if row.prompt else words.what(row)


def _job(user: User, row: Generation, creator: str, usual: dict[str, float]) -> None:
    with st.container(border=True):
        about, state, actions = st.columns([5, 3, 1])
        about.markdown(f"**{words.what(row)}**")
        about.caption(f"{short(row.prompt, 90)} · by {creator} · {row.created_at:%Y-%m-%d %H:%M}")
        tries = f"{row.attempts} attempt{'s' * (row.attempts != 1)}"
        state.markdown(f"{BADGES.get(row.status, row.status)}  \n{_elapsed(row, usual)} · {tries}")
        _buttons(user, row, actions)
        if row.error:
            (st.error if row.status == Status.failed else st.caption)(row.error)
        live_jobs.logs_toggle(user, row, key=f"{PAGE}_logs_{row.id}")


def _turn_page(step: int) -> None:
    st.session_state[PAGE_KEY] = max(1, st.session_state.get(PAGE_KEY, 1) + step)


def _pager(found: gallery.Page) -> None:
    back, where, forward = st.columns([1, 2, 1])
    back.button("← Newer", key=f"{PAGE}_prev", disabled=found.page <= 1, on_click=_turn_page,
                args=(-1,))  # fmt: skip
    where.caption(f"Page {found.page}")
    forward.button("Older →", key=f"{PAGE}_next", disabled=not found.has_next,
                   on_click=_turn_page, args=(1,))  # fmt: skip


@st.fragment(run_every=2)
def _job_list(user: User, filters: gallery.GalleryFilter) -> None:
    _perform_pending(user)
    page = st.session_state.get(PAGE_KEY, 1)
    with friendly_errors():
        with db() as session:
            found = gallery.search(session=session, actor=user, filters=filters, page=page,
                                   per_page=PER_PAGE)  # fmt: skip
        if not found.items:
            st.info("No jobs match these filters.")
        names = display_names()
        usual = live_jobs.usual_times(found.items)
        for row in found.items:
            _job(user, row, names.get(row.created_by, "someone"), usual)
        if page > 1 or found.has_next:
            _pager(found)


def render() -> None:
    user = require("work.view")
    st.title("Jobs")
    filters = job_filters(user, key=PAGE)
    if st.session_state.get(f"{PAGE}_seen_filters") != filters:  # new filters: back to page 1
        st.session_state[f"{PAGE}_seen_filters"] = filters
        st.session_state[PAGE_KEY] = 1
    _job_list(user, filters)
