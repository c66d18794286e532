"""Alembic environment: batch mode for SQLite, the models' metadata for autogenerate."""

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import core.models  # noqa: F401  (registers the tables on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    # The prompt-search indexes (FTS5 in 0002, pg_trgm in 0012) are raw SQL, not in the models:
    # autogenerate leaves them be.
    if type_ == "index" and name == "ix_generation_prompt_trgm":
        return False
    return not (type_ == "table" and name and name.startswith("generation_fts"))


def run_with(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        run_with(conn)
