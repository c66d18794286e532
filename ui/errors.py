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


@contextmanager
def friendly_errors(where: st.delta_generator.DeltaGenerator | None = None) -> Iterator[None]:
    """Show a StudioError's own message; log anything else and show a short apology.

    Streamlit's rerun/stop are BaseExceptions and pass through untouched.
    """
    target = where or st
    try:
        yield
    except StudioError as error:
        target.error(message_for(error), icon="⚠️")
    except Exception:
        log.exception("unexpected error in a page")
        target.error(
            "Something went wrong on our side and nothing was changed. "
            "Try again; if it keeps happening, tell an admin (details are in the server log).",
            icon="⚠️",
        )
