"""E-cabinet benchmarks.

Every figure is printed beside a baseline measured in the same run: a bare python-socketio
relay under the same load generator for the socket paths, bare pypdf and the bare stamp for
documents, bare SQLAlchemy INSERTs for votes, a bare SQL read for replays.

``python -m bench`` runs the standard suite (small defaults, a few minutes);
``python -m bench.load`` is the load generator for any running server.
"""
