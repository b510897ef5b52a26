"""Signed checkpoints of each meeting's log head, kept outside the database.

``signing`` holds the key and the signed message, ``journal`` the append-only file per
meeting under DATA_DIR/checkpoints, ``anchor`` decides when the server signs one (after the
commit that reached the head), and ``audit`` checks a log against its checkpoints.
"""
