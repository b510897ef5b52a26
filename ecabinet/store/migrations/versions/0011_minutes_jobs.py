"""minutes jobs: generations that every worker can answer for

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

A generation started with ``Prefer: respond-async`` is written here with its stage and
progress, so a poll through any worker answers it (ecabinet/minutes/job_store.py). At
most one job per meeting is running: a partial unique index says so to the database,
whichever worker starts it. New table, nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

RUNNING = sa.text("state = 'running'")


def upgrade() -> None:
    op.create_table(
        "minutes_jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(128), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("heartbeat_at", sa.Float, nullable=False),
        sa.Column("job", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_jobs")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_minutes_jobs_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_minutes_jobs_running",
        "minutes_jobs",
        ["meeting_id"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("ix_minutes_jobs_running", table_name="minutes_jobs")
    op.drop_table("minutes_jobs")
