"""Tables (SQLAlchemy Core). Alembic migrations in ``migrations/`` create exactly these.

Times that code compares (sessions, throttling) are UNIX seconds as floats, so SQLite and
PostgreSQL compare them alike. Event times are ISO text because they are hashed as text.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", Float, nullable=False),
    # chức vụ and đơn vị, shown in the back office and imported from CSV (migration 0008)
    Column("title", String(200), nullable=False, server_default=""),
    Column("unit", String(200), nullable=False, server_default=""),
)

# Server-side sessions. The cookie holds a random token; only its keyed hash is stored,
# so a copy of the database opens no session.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("created_at", Float, nullable=False),
    Column("last_seen_at", Float, nullable=False),
    Column("address", String(64), nullable=False, default=""),
    Column("user_agent", String(300), nullable=False, default=""),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("address", String(64), nullable=False, index=True),
    Column("at", Float, nullable=False, index=True),
)

# ``kind`` gives the statutory defaults of the committee's polls (voting/_statute.py):
# party | peoples_committee | peoples_council | other. ``quorum`` is the committee's quorum
# setting as voting's wire form (JSON), NULL for its kind's default.
committees = Table(
    "committees",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("kind", String(32), nullable=False, server_default="other"),
    Column("quorum", Text, nullable=True),
)

committee_members = Table(
    "committee_members",
    metadata,
    Column(
        "committee_id", Integer, ForeignKey("committees.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

# ``last_seq`` and ``head_hash`` are the head of the meeting's event log; the row is locked
# (FOR UPDATE) while a command is decided, which serializes appends per meeting.
meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("committee_id", Integer, ForeignKey("committees.id"), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("location", String(300), nullable=False, default=""),
    Column("scheduled_at", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("last_seq", Integer, nullable=False, default=0),
    Column("head_hash", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    # The event log's hash rule (store/eventlog.py): 1 for meetings created before rule 2
    # existed, 2 (RFC 8785) for every new one. Fixed at creation; stored hashes never change.
    Column("hash_rule", Integer, nullable=False, server_default="1"),
    # Planning (migration 0009): when the meeting was published (None: a draft only the
    # chair, the clerk and administrators see) and why it was cancelled.
    Column("published_at", Float, nullable=True),
    Column("cancel_reason", String(500), nullable=True),
)

meeting_roles = Table(
    "meeting_roles",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    Column("role", String(16), nullable=False),
)

# The per-meeting event log. The primary key (meeting_id, seq) makes a duplicate seq
# impossible; the append code makes a gap impossible.
meeting_events = Table(
    "meeting_events",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", String(64), nullable=False),
    Column("actor_id", Integer, nullable=True),
    Column("at", String(32), nullable=False),
    Column("data", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# The ack of every accepted command, keyed by the client's command id, so that a retry
# returns the original ack and appends nothing.
command_results = Table(
    "command_results",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("command_id", String(64), primary_key=True),
    Column("ack", Text, nullable=False),
    Column("at", Float, nullable=False),
)

# What ingest found in each stored PDF, by content address. Meeting documents refer to a
# blob through their ``document.added`` event; the same bytes uploaded twice are one blob.
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("pages", Integer, nullable=False),
    Column("page_sizes", Text, nullable=False),
    Column("title", String(300), nullable=True),
    Column("created_at", Float, nullable=False),
)

# Who took part in which poll. UNIQUE(meeting, poll, voter) is the database's guarantee of
# one ballot per voter. ``choice`` is kept for named polls only (it is public in the log).
participations = Table(
    "participations",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("poll_id", Integer, primary_key=True, autoincrement=False),
    Column("voter_id", Integer, ForeignKey("users.id"), primary_key=True, autoincrement=False),
    Column("cast_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("choice", Text, nullable=True),
)

# A closed secret poll's totals: the count per choice and the sorted set of receipt codes,
# written once, by the close (never while the poll is open, so no vote's commit holds a
# count). No row names a voter. See ecabinet/meetings/ballots.py.
secret_polls = Table(
    "secret_polls",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("poll_id", Integer, primary_key=True, autoincrement=False),
    Column("counts", Text, nullable=False),  # JSON {"<choice as canonical JSON>": count}
    Column("receipts", Text, nullable=False),  # JSON sorted list of receipt codes
)

# An open secret poll's key, wrapped under a key derived from ECABINET_SECRET_KEY (never
# stored); deleted by the poll's close or cancellation. See ecabinet/meetings/sealing.py.
ballot_keys = Table(
    "ballot_keys",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("poll_id", Integer, primary_key=True, autoincrement=False),
    Column("wrapped_key", String(128), nullable=False),  # hex: nonce, key, tag
)

# An open secret poll's ballots, each sealed (choice and receipt) under the poll key and
# padded to one length. No voter column, no time, and no insertion order: the key ends in a
# random id and SQLite keeps no rowid (WITHOUT ROWID), so rows sort by that id. Deleted by
# the poll's close (after counting) or cancellation.
sealed_ballots = Table(
    "sealed_ballots",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("poll_id", Integer, primary_key=True, autoincrement=False),
    Column("id", String(32), primary_key=True),  # 128 random bits, hex
    Column("sealed", Text, nullable=False),  # hex: nonce, padded ballot, tag
    sqlite_with_rowid=False,
)

# Minutes versions: a projection of the ``minutes.generated``/``minutes.signed`` events,
# written in the same transaction. ``sha256`` names the version's current file (after its
# last signature) under DATA_DIR/minutes/<meeting_id>/; earlier files of the version stay.
minutes = Table(
    "minutes",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("status", String(16), nullable=False),  # draft | clerk-signed | final
    Column("sha256", String(64), nullable=False),
    Column("draft_sha256", String(64), nullable=False),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("layout", String(8), nullable=False),
    Column("replaces", Integer, nullable=True),  # the final version this one corrects
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

# One signing credential per user: issued by the development CA or imported (PKCS#12).
# The private key is sealed with AES-256-GCM under a key derived from ECABINET_SECRET_KEY.
signing_credentials = Table(
    "signing_credentials",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("source", String(16), nullable=False),  # dev-ca | pkcs12
    Column("certificate", Text, nullable=False),  # PEM
    Column("chain", Text, nullable=False),  # PEM of the issuing certificates (may be empty)
    Column("private_key", Text, nullable=False),  # sealed PKCS#8, base64
    Column("created_at", Float, nullable=False),
)

# How a committee's minutes look: layout (state | party | en) and the official header
# texts (JSON; see ecabinet/minutes/profile.py). A committee without a row gets defaults.
minutes_profiles = Table(
    "minutes_profiles",
    metadata,
    Column(
        "committee_id", Integer, ForeignKey("committees.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("profile", Text, nullable=False),
)

# A chair-issued link for the room's big screen (ecabinet/meetings/display_links.py): only
# HMAC-SHA256(secret, token) is kept, as for sessions. A display reads what an observer
# reads and sends nothing; it ends when revoked, at ``expires_at``, or when the meeting ends.
display_links = Table(
    "display_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "meeting_id",
        Integer,
        ForeignKey("meetings.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
)

# Minutes generations started as jobs (ecabinet/minutes/job_store.py): ``job`` is the job as
# a poll answers it (JSON), rewritten by the worker that runs it at each step and heartbeat.
minutes_jobs = Table(
    "minutes_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("worker", String(128), nullable=False),
    Column("state", String(16), nullable=False),  # running | done | failed
    Column("heartbeat_at", Float, nullable=False),  # time.time() of the last write
    Column("job", Text, nullable=False),
    # One running generation per meeting, whichever worker starts it.
    Index(
        "ix_minutes_jobs_running",
        "meeting_id",
        unique=True,
        sqlite_where=text("state = 'running'"),
        postgresql_where=text("state = 'running'"),
    ),
)
