"""share_link and share_event: links a guest opens without an account (to a final ad or a
storyboard), kept as token hashes with an expiry and a revocation, and what guests did on them

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.models

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "share_link",
        sa.Column("id", _text(), nullable=False),
        sa.Column("token_hash", _text(64), nullable=False),
        sa.Column("target_kind", _text(16), nullable=False),
        sa.Column("target_id", _text(64), nullable=False),
        sa.Column("created_by", _text(), nullable=True),
        sa.Column("created_at", core.models.UTCDateTime(), nullable=False),
        sa.Column("expires_at", core.models.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", core.models.UTCDateTime(), nullable=True),
        sa.Column("revoked_by", _text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_share_link_created_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by"], ["user.id"], name=op.f("fk_share_link_revoked_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_link")),
    )
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_link_token_hash"), ["token_hash"], unique=True)
        batch_op.create_index("ix_share_link_target", ["target_kind", "target_id"], unique=False)
    op.create_table(
        "share_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", _text(), nullable=False),
        sa.Column("kind", _text(16), nullable=False),
        sa.Column("guest_name", _text(80), nullable=False),
        sa.Column("decision", _text(16), nullable=True),
        sa.Column("comment", _text(), nullable=False),
        sa.Column("client_hash", _text(64), nullable=False),
        sa.Column("at", core.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"], ["share_link.id"], name=op.f("fk_share_event_link_id_share_link")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_event")),
    )
    with op.batch_alter_table("share_event", schema=None) as batch_op:
        batch_op.create_index("ix_share_event_link_at", ["link_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("share_event", schema=None) as batch_op:
        batch_op.drop_index("ix_share_event_link_at")
    op.drop_table("share_event")
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.drop_index("ix_share_link_target")
        batch_op.drop_index(batch_op.f("ix_share_link_token_hash"))
    op.drop_table("share_link")
