"""shared_secret and webhook_seen: what every machine of an install must agree on lives in the
database they share, not in each machine's data dir (the login cookie's signing key, unless
configured; the webhook ids already seen, so a replay to another machine is refused too)

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shared_secret",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_shared_secret")),
    )
    op.create_table(
        "webhook_seen",
        sa.Column("id", sa.String(length=256), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_seen")),
    )
    op.create_index("ix_webhook_seen_at", "webhook_seen", ["at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_seen_at", table_name="webhook_seen")
    op.drop_table("webhook_seen")
    op.drop_table("shared_secret")
