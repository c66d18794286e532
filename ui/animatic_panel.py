"""A storyboard's animatic: its frames played with their timing, transitions, end card and music,
made in seconds on the draft engine for nothing, to watch before any video money is spent.

Shown where the board is worked on (Storyboards) and judged (Review). The player says which
version it was made from, and says so when the board has changed since; the button makes one
only when there is none of the board as it is (core shows the existing one otherwise).
"""

from __future__ import annotations

import streamlit as st

from core.models import Generation, Storyboard, User
from core.storyboards import animatic
from ui import flash, words
from ui.errors import friendly_errors
from ui.media import stored_file, video
from ui.session import db, request_button

ABOUT = ("A rough cut of the frames with the storyboard's timing, transitions, end card and "
         "music, made in seconds on the draft engine: free, nothing is spent. Scenes without a "
         "frame get a draft one.")  # fmt: skip


def made_line(row: Generation) -> str:
    """'Made from v3 · 28 s', with the version the board had then."""
    version = animatic.made_from(row)
    source = f"v{version}" if version else "the first draft"
    seconds = f" · {row.duration_s:g} s" if row.duration_s else ""
    return f"Made from {source}{seconds} · {row.created_at:%Y-%m-%d %H:%M} UTC"


def animatic_panel(user: User, board: Storyboard, *, key: str) -> None:
    """The board's newest animatic playing, what it was made from, and "Make animatic (free)"
    (or "Remake" once the board changed) for those who may make one. `key` tells this panel's
    widgets and messages from another's on the same page."""
    with db() as session:
        latest = animatic.latest_animatic(session=session, actor=user, storyboard_id=board.id)
    row = latest.animatic
    flash.show(key)
    path = stored_file(row.media_path) if row is not None else None
    if row is None or path is None:
        st.caption(ABOUT)
    else:
        video(row, path)
        st.caption(made_line(row))
        if not latest.current:
            st.info("The storyboard has changed since this animatic was made: remake it to "
                    "see it as it is now.", icon=":material/update:")  # fmt: skip
        if left_out := row.params.get("left_out"):
            st.caption(str(left_out))
    if animatic.may_make(user) and not (row is not None and latest.current):
        label = "Remake animatic (free)" if row is not None else "Make animatic (free)"
        with request_button(label, key=f"{key}_make", icon=":material/movie:") as clicked:
            if clicked:
                _make(user, board, key)


def _make(user: User, board: Storyboard, key: str) -> None:
    with friendly_errors(), st.spinner("Drawing the animatic…"):
        with db() as session:
            made = animatic.make_animatic(session=session, actor=user, storyboard_id=board.id)
        row = made.animatic
        took = ""
        if made.made and row.started_at and row.finished_at:
            took = f" in {words.seconds((row.finished_at - row.started_at).total_seconds())}"
        note = "Animatic made" if made.made else "This animatic already shows the board as it is"
        flash.done(key, f"{note}{took}: free, nothing was spent.")
