"""Users, password hashes, server-side sessions and login throttling."""
