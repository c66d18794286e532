"""Every test gets its own data dir, database and queue; nothing leaks between tests."""

from __future__ import annotations

import pytest

from core import jobs
from core.accounts import login_cookie
from core.config import reset_settings
from core.db import dispose_engines, session_scope
from core.server import reset_first_admin_refusal
from tests.utils import databases

ENV_KEYS = (
    "STUDIO_DATA_DIR",
    "STUDIO_DATABASE_URL",
    "STUDIO_QUEUE_URL",
    "REPLICATE_API_TOKEN",
    "REPLICATE_BASE_URL",
    "STUDIO_ADMIN_USER",
    "STUDIO_ADMIN_PASSWORD",
    "STUDIO_WEBHOOK_URL",
)


@pytest.fixture(scope="session")
def test_database():
    """PostgreSQL when the run asks for it (STUDIO_TEST_DATABASE_URL), made for the run and
    dropped after it; else None, and each test has SQLite in its own data dir."""
    url = databases.test_database_url()
    if url is None:
        yield None
        return
    databases.create(url)
    yield url
    dispose_engines()
    databases.drop(url)


@pytest.fixture(autouse=True)
def studio_env(tmp_path, monkeypatch, test_database):
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    if test_database:
        databases.empty(test_database)
        monkeypatch.setenv("STUDIO_DATABASE_URL", test_database)
    monkeypatch.setenv("STUDIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STUDIO_QUEUE_URL", "memory://")
    monkeypatch.setenv("STUDIO_BCRYPT_ROUNDS", "4")
    reset_settings()
    jobs.reset_queues()
    yield tmp_path / "data"
    login_cookie.forget_keys()
    dispose_engines()
    jobs.reset_queues()
    reset_settings()
    reset_first_admin_refusal()


@pytest.fixture
def sqlite_only(studio_env, monkeypatch):
    """For a test about the SQLite files in the data dir: SQLite even in a PostgreSQL run."""
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    dispose_engines()
    reset_settings()
    return studio_env


@pytest.fixture
def real_queue(studio_env, monkeypatch):
    """The embedded SQLite queue, as the app runs it (not huey's immediate mode)."""
    monkeypatch.setenv("STUDIO_QUEUE_URL", f"sqlite:///{studio_env / 'queue.db'}")
    reset_settings()
    jobs.reset_queues()
    return studio_env


@pytest.fixture
def session():
    with session_scope() as s:
        yield s


@pytest.fixture
def people(session):
    from tests.utils.factories import make_people

    return make_people(session)


@pytest.fixture
def campaign(session, people):
    from tests.utils.factories import make_campaign

    return make_campaign(session, people["admin"])
