"""A success message that survives the rerun after a change, so lists redraw with fresh data."""

from __future__ import annotations

import streamlit as st


def remember(page: str, message: str) -> None:
    """`done` without the rerun: for a button's callback, which runs before the next run."""
    st.session_state[f"{page}_flash"] = message


def done(page: str, message: str) -> None:
    """Remember `message` for `page`, then rerun so everything shows the change."""
    remember(page, message)
    st.rerun()


def show(page: str) -> None:
    # Always one element here, message or not: when the message goes, what follows keeps its
    # place, and the browser keeps an expander the user opened open (a shifted one is redrawn
    # as new, collapsed, losing what was typed in it).
    slot = st.empty()
    if message := st.session_state.pop(f"{page}_flash", None):
        slot.success(message, icon="✅")


def form_key(page: str, form: str) -> str:
    """A key prefix that changes after each successful submit, so the form starts empty again."""
    return f"{page}_{form}_{st.session_state.get(f'{page}_{form}_round', 0)}"


def next_round(page: str, form: str) -> None:
    key = f"{page}_{form}_round"
    st.session_state[key] = st.session_state.get(key, 0) + 1
