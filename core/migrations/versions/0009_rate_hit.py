"""rate_hit: paid requests by user and kind, so per-user limits hold across processes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.models

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("at", core.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_hit")),
    )
    op.create_index("ix_rate_hit_user_kind_at", "rate_hit", ["user_id", "kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_rate_hit_user_kind_at", table_name="rate_hit")
    op.drop_table("rate_hit")
