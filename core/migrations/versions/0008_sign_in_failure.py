"""sign_in_failure: wrong passwords by account and client, to slow guessing down

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", core.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failure")),
    )
    op.create_index("ix_sign_in_failure_username_at", "sign_in_failure", ["username", "at"])
    op.create_index("ix_sign_in_failure_client_at", "sign_in_failure", ["client", "at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_failure_client_at", table_name="sign_in_failure")
    op.drop_index("ix_sign_in_failure_username_at", table_name="sign_in_failure")
    op.drop_table("sign_in_failure")
