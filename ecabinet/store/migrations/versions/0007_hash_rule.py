"""hash rule: the canonical form each meeting's event log is hashed under

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

``meetings.hash_rule`` names the canonical form of the meeting's hash chain
(ecabinet/store/eventlog.py): 1 is the sorted-keys JSON every existing log was hashed with,
2 is RFC 8785 (JCS), which new meetings get. Existing meetings keep 1: their stored hashes
are never rewritten, and they verify under the rule they were written with.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "meetings",
        sa.Column("hash_rule", sa.Integer(), server_default="1", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("hash_rule")
