"""A verified webhook id is remembered in the database every machine shares: a replay sent to
another receiver (its own data dir, the same database) is refused too."""

from __future__ import annotations

from core.config import get_settings, reset_settings
from core.jobs import webhooks


def test_a_replay_to_another_machine_is_refused(studio_env, monkeypatch):
    assert webhooks.first_delivery("msg_2kX9") is True
    assert webhooks.first_delivery("msg_2kX9") is False
    monkeypatch.setenv("STUDIO_DATABASE_URL", get_settings().database_url)
    monkeypatch.setenv("STUDIO_DATA_DIR", str(studio_env.parent / "receiver-2"))
    reset_settings()
    assert webhooks.first_delivery("msg_2kX9") is False
    assert webhooks.first_delivery("msg_other") is True


def test_ids_older_than_the_window_are_forgotten(studio_env):
    assert webhooks.first_delivery("msg_old", now=1_000.0) is True
    later = 1_000.0 + webhooks.SEEN_KEEP_S + 1  # past the window
    assert webhooks.first_delivery("msg_new", now=later) is True
    assert webhooks.first_delivery("msg_old", now=later) is True  # pruned: a stale replay is
    # refused by its timestamp before it gets here
