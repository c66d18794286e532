"""Fixtures shared by the core tests of several modules."""

import pytest

from core.config import reset_settings
from core.generation import limits


@pytest.fixture
def replicate_on(real_queue, monkeypatch):
    """Replicate models enabled; no consumer runs, so nothing is ever sent anywhere."""
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_test_token")
    reset_settings()
    limits.reset()
    yield
    limits.reset()
