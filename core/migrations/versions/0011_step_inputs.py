"""step_input: a step waits on several rows (a render is a graph); replaces
generation.depends_on_id

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# SQLite rebuilds `generation` to drop a column, and its prompt-search triggers (0002) go with
# the old table: they are made again and the index rebuilt, as 0002 made them.
SEARCH_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS generation_fts_ai AFTER INSERT ON generation BEGIN "
    "INSERT INTO generation_fts(rowid, prompt) VALUES (new.rowid, new.prompt); END",
    "CREATE TRIGGER IF NOT EXISTS generation_fts_ad AFTER DELETE ON generation BEGIN "
    "INSERT INTO generation_fts(generation_fts, rowid, prompt) "
    "VALUES ('delete', old.rowid, old.prompt); END",
    "CREATE TRIGGER IF NOT EXISTS generation_fts_au AFTER UPDATE OF prompt ON generation BEGIN "
    "INSERT INTO generation_fts(generation_fts, rowid, prompt) "
    "VALUES ('delete', old.rowid, old.prompt); "
    "INSERT INTO generation_fts(rowid, prompt) VALUES (new.rowid, new.prompt); END",
    "INSERT INTO generation_fts(generation_fts) VALUES ('rebuild')",
)

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "step_input",
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("input_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["input_id"], ["generation.id"], name=op.f("fk_step_input_input_id_generation")
        ),
        sa.ForeignKeyConstraint(
            ["step_id"], ["generation.id"], name=op.f("fk_step_input_step_id_generation")
        ),
        sa.PrimaryKeyConstraint("step_id", "input_id", name=op.f("pk_step_input")),
    )
    with op.batch_alter_table("step_input", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_step_input_input_id"), ["input_id"], unique=False)
    op.execute(
        "INSERT INTO step_input (step_id, input_id) "
        "SELECT id, depends_on_id FROM generation WHERE depends_on_id IS NOT NULL"
    )
    with op.batch_alter_table("generation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_generation_depends_on_id"))
        batch_op.drop_constraint("fk_generation_depends_on_id_generation", type_="foreignkey")
        batch_op.drop_column("depends_on_id")
    _restore_search()


def _restore_search() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in SEARCH_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("generation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("depends_on_id", sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))  # fmt: skip
        batch_op.create_foreign_key(
            "fk_generation_depends_on_id_generation", "generation", ["depends_on_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_generation_depends_on_id"), ["depends_on_id"], unique=False
        )
    op.execute(
        "UPDATE generation SET depends_on_id = "
        "(SELECT min(input_id) FROM step_input WHERE step_id = generation.id)"
    )
    with op.batch_alter_table("step_input", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_step_input_input_id"))
    op.drop_table("step_input")
    _restore_search()
