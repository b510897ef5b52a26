"""committee rules: a committee's kind (statutory poll defaults) and its quorum setting

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

``kind`` (party | peoples_committee | peoples_council | other) gives the default majority
and quorum of the committee's polls (voting/_statute.py); ``quorum`` is the committee's own
quorum setting in voting's wire form, NULL for its kind's default. Existing committees get
``other`` (more than half of all members; quorum more than half): an administrator sets the
right kind. Polls already in a log keep the rule their events recorded.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "committees",
        sa.Column("kind", sa.String(length=32), server_default="other", nullable=False),
    )
    op.add_column("committees", sa.Column("quorum", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("committees") as batch:
        batch.drop_column("quorum")
        batch.drop_column("kind")
