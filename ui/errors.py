"""Failures become messages a person can act on; no traceback reaches the screen."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.errors import StudioError, ValidationError

log = logging.getLogger("campaign_studio.ui")


def message_for(error: StudioError) -> str:
    if isinstance(error, ValidationError) and len(error.fields) > 1:
        return "Please fix:\n" + "\n".join(f"- {text}" for text in error.fields.values())
    return str(error)


def shown(error: Exception) -> str:
    """What to show for `error`; call it in the `except` block, so a surprise is logged whole."""
    if isinstance(error, StudioError):
        return message_for(error)
    log.exception("unexpected error in a page")
    return (
        "Something went wrong on our side and nothing was changed. "
        "Try again; if it keeps happening, tell an admin (details are in the server log)."
    )


@contextmanager
def friendly_errors(where: st.delta_generator.DeltaGenerator | None = None) -> Iterator[None]:
    """Show a StudioError's own message; log anything else and show a short apology.

    Streamlit's rerun/stop are BaseExceptions and pass through untouched.
    """
    try:
        yield
    except Exception as error:
        (where or st).error(shown(error), icon="⚠️")


@contextmanager
def errors_after_rerun(key: str) -> Iterator[None]:
    """Like friendly_errors, but keep the message under `key` and rerun, so widgets whose keys
    changed (an emptied uploader) are drawn anew; `show_kept_error(key)` shows it then."""
    try:
        yield
    except Exception as error:
        st.session_state[key] = shown(error)
        st.rerun()


def show_kept_error(key: str) -> None:
    if message := st.session_state.pop(key, None):
        st.error(message, icon="⚠️")
