"""AppTest fixtures: a screen run as a given user, with Streamlit's caches cleared between tests."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.config import reset_settings
from ui.session import SIGNED_IN_AT_KEY, USER_KEY

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("harness.py")
TIMEOUT_S = 60


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def token(monkeypatch):
    """Replicate models enabled in the screens (nothing is sent: no test here runs a consumer)."""
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_test_token")
    reset_settings()


def screen_app(screen: str, user=None, *, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest of app_pages/<screen>.py, signed in as `user` (None: nobody); not yet run."""
    at = AppTest.from_file(str(HARNESS), default_timeout=TIMEOUT_S)
    at.session_state["harness_screen"] = screen
    if user is not None:
        at.session_state[USER_KEY] = user.id
        at.session_state[SIGNED_IN_AT_KEY] = time.time()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def shell_app(user=None) -> AppTest:
    """An AppTest of the real app.py (login gate and navigation)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    if user is not None:
        at.session_state[USER_KEY] = user.id
        at.session_state[SIGNED_IN_AT_KEY] = time.time()
    return at


@pytest.fixture
def screen():
    return screen_app


@pytest.fixture
def shell():
    return shell_app
