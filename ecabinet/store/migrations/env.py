"""Alembic environment. Migrations run through ``ecabinet init`` (``store.migrate``),
which hands over an open connection in ``config.attributes["connection"]``."""

from alembic import context

from ecabinet.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `ecabinet init`, which supplies the connection")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
