"""Engine, sessions and start-up migrations. SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.config import get_settings, private_data_dir, private_file
from core.errors import NotFound

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            private_data_dir()
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            private_file(Path(path))
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


# Any constant both sides agree on: the key of the advisory lock migrations take on PostgreSQL.
MIGRATION_LOCK_KEY = 0x5CA3_9A16


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(private_file(path), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(engine: Engine) -> None:
    """Bring the schema to head. Idempotent: a second call does nothing. Processes that start
    together take turns: the first migrates, the others then find the schema at head. The turn
    is an advisory lock on PostgreSQL, a lock file beside a SQLite database (pysqlite runs DDL
    outside a transaction, so SQLite's own write lock would not cover it)."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        with _file_lock(Path(f"{database}.migrate.lock")):
            _upgrade(engine)
    else:
        _upgrade(engine)


def _upgrade(engine: Engine) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        cfg = alembic_config(str(engine.url))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: settings), migrated on first use."""
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        if url not in _migrated:
            migrate(engine)
            _migrated.add(url)
    return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _migrated.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: no half-written rows."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def lock_row(session: Session, column: sa.Column, row_id: str) -> None:
    """Take the database's write lock before reading what a decision depends on: a no-op write
    (`column` set to itself) of the row with id `row_id`. Two sessions deciding on the same row
    then run one after the other, the second reading what the first wrote."""
    table = column.table
    session.execute(sa.update(table).where(table.c.id == row_id).values({column.name: column}))


Row = TypeVar("Row")


def get_or_not_found(session: Session, model: type[Row], row_id: str, noun: str) -> Row:
    """The row with this primary key, or NotFound naming what was looked for."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"No {noun} with id {row_id}.")
    return row


_secrets: dict[tuple[str, str], str] = {}
_secrets_lock = threading.Lock()


def shared_secret(name: str, candidate: Callable[[], str]) -> str:
    """A secret every machine of an install must agree on (a signing key), kept in the
    `shared_secret` table: read if there, else `candidate()` stored by whoever inserts first.
    Cached per database."""
    key = (get_settings().database_url, name)
    with _secrets_lock:
        if key not in _secrets:
            _secrets[key] = _stored_secret(name, candidate())
        return _secrets[key]


def _stored_secret(name: str, candidate: str) -> str:
    from core.models import SharedSecret, table_of  # models never imports db: no cycle

    table = table_of(SharedSecret)
    query = sa.select(table.c.value).where(table.c.name == name)
    with get_engine().begin() as conn:
        if (value := conn.execute(query).scalar_one_or_none()) is not None:
            return value
        try:  # whoever inserts first wins; the others read what it wrote
            with conn.begin_nested():
                conn.execute(sa.insert(table).values(name=name, value=candidate))
        except IntegrityError:
            pass
        return conn.execute(query).scalar_one()


def forget_shared_secrets() -> None:
    """Read the secrets again next time (tests: another test's database)."""
    with _secrets_lock:
        _secrets.clear()
