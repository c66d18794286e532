"""The database a test run uses: SQLite in each test's data dir (default), or the PostgreSQL
database `STUDIO_TEST_DATABASE_URL` names, made for the run, emptied before each test and dropped
after the run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

TEST_DATABASE_ENV = "STUDIO_TEST_DATABASE_URL"
KEPT_TABLES = ("alembic_version",)


def test_database_url() -> str | None:
    return os.environ.get(TEST_DATABASE_ENV) or None


def _server_url(url: str) -> sa.URL:
    return sa.make_url(url).set(database="postgres")


def create(url: str) -> None:
    """A fresh, empty database for this run (an earlier run's leftovers are dropped first)."""
    name = sa.make_url(url).database
    engine = sa.create_engine(_server_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def drop(url: str) -> None:
    name = sa.make_url(url).database
    engine = sa.create_engine(_server_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def empty(url: str) -> None:
    """Every table emptied (the schema and its migrations kept): a test starts from nothing."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        names = [t for t in sa.inspect(conn).get_table_names() if t not in KEPT_TABLES]
        if names:
            tables = ", ".join(f'"{t}"' for t in names)
            conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@contextmanager
def fresh(run_database: str | None, tmp_path: Path, suffix: str) -> Iterator[str]:
    """The URL of a new, empty database of the run's kind (a SQLite file, or a PostgreSQL
    database beside the run's), dropped afterwards."""
    if run_database is None:
        yield f"sqlite:///{tmp_path / suffix / 'studio.db'}"
        return
    url = sa.make_url(run_database)
    fresh_url = url.set(database=f"{url.database}_{suffix}").render_as_string(hide_password=False)
    create(fresh_url)
    try:
        yield fresh_url
    finally:
        drop(fresh_url)
