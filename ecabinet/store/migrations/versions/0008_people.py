"""people: a user's title (chức vụ) and unit (đơn vị)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

The back office shows and imports each person's title and unit (docs/protocol.md,
"People"). Both are NFC text of at most 200 characters; existing users get empty texts.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("title", sa.String(length=200), server_default="", nullable=False)
    )
    op.add_column(
        "users", sa.Column("unit", sa.String(length=200), server_default="", nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("unit")
        batch.drop_column("title")
