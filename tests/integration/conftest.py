"""The fake Replicate on a random loopback port, and the settings that point the real client at
it: real HTTP end to end, with short poll intervals so nothing waits long."""

from __future__ import annotations

import pytest

from core.config import reset_settings
from core.generation import limits
from core.providers import replicate_http, replicate_latency
from tests.integration.fake_replicate import TOKEN, FakeReplicate
from tests.utils.processes import serving

GENEROUS_LIMITS = "image=1000/minute;video=1000/minute;audio=1000/minute"


@pytest.fixture
def fake_replicate():
    fake = FakeReplicate()
    with serving(fake.app) as url:
        fake.base_url = url
        yield fake


@pytest.fixture
def replicate_env(fake_replicate, monkeypatch):
    """Settings for the fake: token, base URL, a 10 ms first poll interval, no rate limits."""
    monkeypatch.setenv("REPLICATE_API_TOKEN", TOKEN)
    monkeypatch.setenv("REPLICATE_BASE_URL", fake_replicate.base_url)
    monkeypatch.setenv("STUDIO_POLL_INTERVAL_S", "0.01")
    monkeypatch.setenv("STUDIO_RATE_LIMITS", GENEROUS_LIMITS)
    monkeypatch.delenv("STUDIO_WEBHOOK_SECRET", raising=False)
    reset_settings()
    limits.reset()
    replicate_http.reset_clients()
    replicate_latency.forget()
    yield fake_replicate
    reset_settings()
    limits.reset()
