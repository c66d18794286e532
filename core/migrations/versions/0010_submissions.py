"""submission and generation.submission_key: one submission, one set of jobs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.models

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission",
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("created_at", core.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_submission")),
    )
    with op.batch_alter_table("generation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("submission_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_generation_submission_key"), ["submission_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("generation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_generation_submission_key"))
        batch_op.drop_column("submission_key")
    op.drop_table("submission")
