"""Prompt search index on PostgreSQL: a pg_trgm GIN index over generation.prompt

The gallery's search is `ILIKE '%text%'`; without an index PostgreSQL scans every row (~100 ms at
100,000 rows). pg_trgm (a trusted extension: the database owner may create it) answers it from
the index, as SQLite's FTS5 trigram table does since 0002.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_generation_prompt_trgm"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON generation USING gin (prompt gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
