"""The migrations build exactly the schema the models describe, and run twice harmlessly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import core.models  # noqa: F401  (registers every table)
from core.db import make_engine, migrate


def _modelled(name, type_, _parent_names) -> bool:
    return not (type_ == "table" and name.startswith("generation_fts"))


def test_migrations_match_the_models_and_are_idempotent(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate(engine)
    migrate(engine)  # a second start-up changes nothing
    with engine.connect() as conn:
        # The prompt search's FTS5 tables are made by SQL in a migration, not by a model.
        context = MigrationContext.configure(conn, opts={"include_name": _modelled})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
