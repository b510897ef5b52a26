"""Follow-up of a committee's decisions: who must do what by when, their progress reports,
reviews and extensions, and the dashboard's counts.

Pure rules over frozen dataclasses; imports nothing of ours and does no I/O. The
application calls ``decide(state, type, data, actor, now, today)`` for a command, appends
the returned events to the committee's log, and folds each stored event with
``apply(state, type, data, actor_id, at)``.
"""

from followups._dashboard import SOON_DAYS, Counts, bucket, counts, counts_by_unit
from followups._errors import ERROR_CODES, Conflict, FollowUpError, Invalid, NotAllowed, NotFound
from followups._model import (
    Actor,
    Decided,
    Extension,
    FollowUp,
    FollowUpsState,
    Report,
    Status,
)
from followups._rules import COMMANDS, EVENT_TYPES, apply, decide

__all__ = [
    "COMMANDS",
    "ERROR_CODES",
    "EVENT_TYPES",
    "SOON_DAYS",
    "Actor",
    "Conflict",
    "Counts",
    "Decided",
    "Extension",
    "FollowUp",
    "FollowUpError",
    "FollowUpsState",
    "Invalid",
    "NotAllowed",
    "NotFound",
    "Report",
    "Status",
    "apply",
    "bucket",
    "counts",
    "counts_by_unit",
    "decide",
]
