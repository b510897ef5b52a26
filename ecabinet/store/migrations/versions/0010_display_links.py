"""display links: chair-issued links for the room display (projector)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

A link's token is shown once; the table keeps HMAC-SHA256(secret, token) only
(docs/protocol.md, "The room display"). New table, nothing existing changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "display_links",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("meeting_id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_by", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("revoked_at", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_display_links")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_display_links_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_display_links_created_by_users"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_display_links_token_hash")),
    )
    op.create_index(op.f("ix_display_links_meeting_id"), "display_links", ["meeting_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_display_links_meeting_id"), table_name="display_links")
    op.drop_table("display_links")
