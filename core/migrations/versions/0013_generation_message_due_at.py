"""generation.message_due_at: when the queue message last sent for a row is due, so a restart
or a periodic reconcile re-sends only messages that were lost, never a second one beside a
message still waiting in the queue

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.models

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("generation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_due_at", core.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("generation", schema=None) as batch_op:
        batch_op.drop_column("message_due_at")
