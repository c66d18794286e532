"""What changed since the reviewer last decided, shown on the Review page: the board's settings at
the top; per scene, a word diff of what it says and its frame then and now (collapsed when the
scene did not change); then the scenes removed."""

from __future__ import annotations

import re

import streamlit as st

from core.models import Storyboard, User
from core.storyboards import changes
from core.storyboards.changes import Changes, FieldChange, SceneChange
from ui import words
from ui.session import db
from ui.storyboard_widgets import show_frame

_STYLE = {"added": ":green-background[{}]", "removed": ":red-background[~~{}~~]"}


def load(user: User, board: Storyboard) -> Changes:
    with db() as session:
        return changes.since_last_decision(session=session, actor=user, storyboard_id=board.id)


def board_changes(found: Changes) -> None:
    if found.since is None:
        return
    if not found.anything:
        st.caption(f"Nothing changed since v{found.since}, the version you last decided on.")
        return
    if found.board:
        lines = "\n".join(f"- {_field(f)}" for f in found.board)
        st.info(f"Changed since v{found.since}, the version you last decided on:\n{lines}",
                icon=":material/difference:")  # fmt: skip


def scene(found: Changes, scene_id: str) -> None:
    """This scene's changes, in an expander open only when there are some."""
    change = found.of(scene_id)
    if found.since is None or change is None:
        return
    label, icon = _headline(change, found.since)
    with st.expander(label, expanded=change.state != "same", icon=icon):
        if change.state == "same":
            st.caption("Text and frame are as they were.")
            return
        if change.moved_from:
            st.caption(f"Moved from scene {change.moved_from} to scene {change.number}.")
        for field in change.fields:
            st.markdown(_field(field))
        if change.frame_changed or change.state == "new":
            _frames(change, found)


def removed(found: Changes) -> None:
    for change in found.removed:
        with st.container(border=True):
            st.markdown(f"**Removed since v{found.since}:** scene {change.number} · "
                        f"{words.escape_markdown(change.title) or 'untitled'}")  # fmt: skip
            if change.frame_before:
                show_frame(change.frame_before, width=240)


def _headline(change: SceneChange, since: int) -> tuple[str, str]:
    if change.state == "new":
        return f"New since v{since}", ":material/fiber_new:"
    if change.state == "same":
        return f"Unchanged since v{since}", ":material/check:"
    what = [f.label.lower() for f in change.fields]
    what += ["frame"] * change.frame_changed + ["place"] * bool(change.moved_from)
    return f"Changed since v{since}: {', '.join(what)}", ":material/difference:"


def _frames(change: SceneChange, found: Changes) -> None:
    then, now = st.columns(2)
    with then:
        st.caption(f"Frame in v{found.since}")
        if change.state == "new":
            st.caption("The scene was not there.")
        else:
            show_frame(change.frame_before)
    with now:
        st.caption(f"Frame now (v{found.version})")
        show_frame(change.frame_after)


def _field(change: FieldChange) -> str:
    return f"**{change.label}:** {diff_markdown(change) or '—'}"


def diff_markdown(change: FieldChange) -> str:
    """The word diff as Markdown: removed words struck through on red, added ones on green."""
    out, previous = [], ""
    for kind, text in change.pieces:
        flat = words.escape_markdown(text.replace("\n", " "))
        if kind == "same" or not flat.strip():
            out.append(flat)
            previous = kind
            continue
        # Spaces stay outside the highlight, which would not render with them at its edges.
        lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", flat).groups()  # type: ignore[union-attr]
        gap = " " if previous == "removed" and not lead else ""  # old and new words apart
        out.append(gap + lead + _STYLE[kind].format(core) + trail)
        previous = kind
    return "".join(out)
