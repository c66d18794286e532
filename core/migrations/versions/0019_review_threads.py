"""review.reply_to and user.inbox_seen_at: replies threaded under a review comment, and when a
user last opened their inbox (what came after still counts as new)

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.models

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reply_to", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_review_reply_to"), ["reply_to"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_review_reply_to_review"), "review", ["reply_to"], ["id"]
        )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inbox_seen_at", core.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("inbox_seen_at")
    # Replies mean nothing without the decision they answer: the code before this revision
    # would list them as decisions.
    op.execute("DELETE FROM review WHERE reply_to IS NOT NULL")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_review_reply_to_review"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_review_reply_to"))
        batch_op.drop_column("reply_to")
