"""Persistence: tables, the database handle, the meeting event log, migrations."""

from ecabinet.store.database import Database

__all__ = ["Database"]
