"""ballots: participation rows and the secret polls' counts and receipts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "participations",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("voter_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cast_by", sa.Integer(), nullable=False),
        sa.Column("choice", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_participations_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"], ["users.id"], name=op.f("fk_participations_voter_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["cast_by"], ["users.id"], name=op.f("fk_participations_cast_by_users")
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "poll_id", "voter_id", name=op.f("pk_participations")
        ),
    )
    op.create_table(
        "secret_polls",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("receipts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_secret_polls_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "poll_id", name=op.f("pk_secret_polls")),
    )


def downgrade() -> None:
    op.drop_table("secret_polls")
    op.drop_table("participations")
