"""Meetings: lifecycle, roster and roles, attendance, and the command table."""
