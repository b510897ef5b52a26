"""sealed ballots: an open secret poll keeps sealed ballots and a wrapped key, no counts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

Until 0004 an open secret poll's ``secret_polls`` row held running counts and receipts,
rewritten by every vote. From 0005 on that row is written once, at the close; while the
poll is open its ballots are sealed rows (``sealed_ballots``) under a poll key stored
wrapped (``ballot_keys``).

The upgrade refuses while a secret poll is open: its running counts cannot become sealed
ballots here (a migration holds no ECABINET_SECRET_KEY to wrap a poll key with), and an
upgrade in the middle of a vote is not worth a conversion path. Close or cancel the poll
with the version that opened it, then upgrade. Closed polls keep their row (it is already
the totals); a cancelled poll's row, counts of a vote that never counted, is deleted.
The downgrade refuses while a secret poll is open too (its sealed ballots would be lost).
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _ended_polls(bind: sa.Connection) -> dict[tuple[int, int], str]:
    """(meeting, poll) -> ``poll.closed`` or ``poll.cancelled``, from the event log."""
    rows = bind.execute(
        sa.text(
            "SELECT meeting_id, type, data FROM meeting_events "
            "WHERE type IN ('poll.closed', 'poll.cancelled')"
        )
    )
    return {(meeting, json.loads(data)["poll_id"]): type_ for meeting, type_, data in rows}


def upgrade() -> None:
    bind = op.get_bind()
    ended = _ended_polls(bind)
    stored = bind.execute(sa.text("SELECT meeting_id, poll_id FROM secret_polls")).all()
    still_open = [(m, p) for m, p in stored if (m, p) not in ended]
    if still_open:
        named = ", ".join(f"poll {p} of meeting {m}" for m, p in still_open)
        raise RuntimeError(
            f"secret polls are open ({named}): close or cancel them with the version that "
            "opened them, then upgrade; their running counts cannot become sealed ballots"
        )
    for meeting, poll in stored:
        if ended[(meeting, poll)] == "poll.cancelled":
            bind.execute(
                sa.text("DELETE FROM secret_polls WHERE meeting_id = :m AND poll_id = :p"),
                {"m": meeting, "p": poll},
            )
    op.create_table(
        "ballot_keys",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wrapped_key", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_ballot_keys_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "poll_id", name=op.f("pk_ballot_keys")),
    )
    op.create_table(
        "sealed_ballots",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_sealed_ballots_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "poll_id", "id", name=op.f("pk_sealed_ballots")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT COUNT(*) FROM ballot_keys")).scalar_one():
        raise RuntimeError("secret polls are open: close or cancel them, then downgrade")
    op.drop_table("sealed_ballots")
    op.drop_table("ballot_keys")
