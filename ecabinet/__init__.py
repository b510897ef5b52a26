"""E-cabinet: the application — composition root and the meeting core."""

__version__ = "0.1.0"
