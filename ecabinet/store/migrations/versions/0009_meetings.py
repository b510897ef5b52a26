"""meetings: planning in the back office (publish, cancel)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

A meeting is prepared as a draft and published (docs/protocol.md, "Meetings in the back
office"): ``published_at`` is when (null: a draft the members do not see yet), and
``cancel_reason`` why a cancelled meeting was cancelled. Every meeting that existed is
published at its creation time, so that it stays visible as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("meetings", sa.Column("published_at", sa.Float(), nullable=True))
    op.add_column("meetings", sa.Column("cancel_reason", sa.String(length=500), nullable=True))
    op.execute("UPDATE meetings SET published_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("cancel_reason")
        batch.drop_column("published_at")
