"""scene.voice_line, storyboard.voice_model and voice_params: a voice-over line per scene, and
the voice (model and its settings) a storyboard's lines are spoken in

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scene", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "voice_line", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
    with op.batch_alter_table("storyboard", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voice_model", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )
        batch_op.add_column(
            sa.Column("voice_params", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("storyboard", schema=None) as batch_op:
        batch_op.drop_column("voice_params")
        batch_op.drop_column("voice_model")
    with op.batch_alter_table("scene", schema=None) as batch_op:
        batch_op.drop_column("voice_line")
