"""Who may call which HTTP route: one table, every route × every kind of caller.

The handlers check access themselves (``current_user``, ``require_admin``, the meeting
roster); this table states what they must answer, and
``tests/integration/test_http_authorization.py`` tries every cell against a real server.
That test also fails when the application has a route this table does not name, so a new
endpoint cannot ship without its row. The socket's commands have their own table
(``ecabinet.meetings.commands.COMMANDS``, tried by ``test_authorization.py``).

Callers, relative to one meeting (the ``{meeting_id}`` of the path):

    admin       global administrator, not on the meeting's roster
    chair, clerk, member, observer    the roles on the roster
    non-member  signed in, not on the roster (a member of another meeting)
    anonymous   no session

Outcomes: ``ok`` — the access check passes (the answer may still refuse the body or the
state: 400, 409, 413); ``unauthenticated`` (401); ``not-allowed`` (403); ``not-found``
(404: the meeting or thing is hidden from this caller, indistinguishable from absent).

Rows for a path with ``{document_id}``, ``{version}`` or ``{job_id}`` speak of a document,
minutes version or minutes generation of that meeting; an id that belongs to another
meeting is ``not-found`` for everyone. ``{user_id}`` is another user than the caller.
Minutes version rows speak of a draft (members and observers see final versions only).
``{committee_id}`` is the meeting's committee, so the meeting's clerk is one of its clerks
(``ecabinet.meetings.committees``: the clerk of one of a committee's meetings).
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    OK = "ok"
    UNAUTHENTICATED = "unauthenticated"
    NOT_ALLOWED = "not-allowed"
    NOT_FOUND = "not-found"


CALLERS = ("admin", "chair", "clerk", "member", "observer", "non-member", "anonymous")

OK, UA, NA, NF = Outcome.OK, Outcome.UNAUTHENTICATED, Outcome.NOT_ALLOWED, Outcome.NOT_FOUND

Row = dict[str, Outcome]


def _row(*outcomes: Outcome) -> Row:
    assert len(outcomes) == len(CALLERS)
    return dict(zip(CALLERS, outcomes, strict=True))


#                admin chair clerk member observer non-member anonymous
ANYONE = _row(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = _row(OK, OK, OK, OK, OK, OK, UA)
ADMIN = _row(OK, NA, NA, NA, NA, NA, UA)
ROSTER = _row(NF, OK, OK, OK, OK, NF, UA)
EDITORS_UPLOAD = _row(NF, OK, OK, NA, NA, NF, UA)
# Chair and clerk; before the meeting also its planners (administrators, the committee's
# clerks: ``ecabinet.meetings.planners``), who act as its clerk.
EDITORS_AND_PLANNERS = _row(OK, OK, OK, NA, NA, NF, UA)
# The back office's preparation of meetings: administrators and the committee's clerks.
PLANNERS = _row(OK, NA, OK, NA, NA, NA, UA)
AUDITORS = _row(OK, OK, OK, NF, NF, NF, UA)
MINUTES_CLERK = _row(NF, NA, OK, NA, NA, NF, UA)
MINUTES_DRAFT = _row(NF, OK, OK, NF, NF, NF, UA)
MINUTES_SIGNERS = _row(NF, OK, OK, NA, NA, NF, UA)
ADMIN_OR_SELF = _row(OK, NF, NF, NF, NF, NF, UA)
# Administrators and the committee's clerks (the profile preview: a clerk of any committee).
COMMITTEE_CLERKS = _row(OK, NA, OK, NA, NA, NA, UA)
# Only a room display's cookie opens these (``DISPLAY_ROUTES``); no person's session does.
DISPLAY_ONLY = _row(UA, UA, UA, UA, UA, UA, UA)

M = "/api/meetings/{meeting_id:int}"
DOC = M + "/documents/{document_id:int}"

ROUTES: dict[tuple[str, str], Row] = {
    # the tablet app, health, metrics (the proxy keeps /metrics off the public site)
    ("GET", "/"): ANYONE,
    ("GET", "/static"): ANYONE,
    ("GET", "/healthz"): ANYONE,
    ("GET", "/readyz"): ANYONE,
    ("GET", "/metrics"): ANYONE,
    ("GET", "/api/openapi.json"): ANYONE,
    ("GET", "/api/checkpoints/key"): ANYONE,  # the public key an auditor pins
    # sessions
    ("POST", "/api/login"): ANYONE,
    ("POST", "/api/logout"): SIGNED_IN,
    ("GET", "/api/me"): SIGNED_IN,
    ("POST", "/api/me/password"): SIGNED_IN,
    # meetings
    ("GET", "/api/meetings"): SIGNED_IN,
    ("POST", "/api/meetings"): PLANNERS,
    ("GET", M): ROSTER,
    ("GET", M + "/events"): ROSTER,
    ("GET", M + "/audit"): AUDITORS,
    # meetings in the back office (planning): administrators and the committee's clerks
    ("GET", M + "/plan"): PLANNERS,
    ("PATCH", M): PLANNERS,
    ("POST", M + "/cancel"): PLANNERS,
    ("PUT", M + "/roster"): PLANNERS,
    ("POST", M + "/publish"): PLANNERS,
    ("POST", M + "/agenda-items"): PLANNERS,
    ("GET", "/api/people"): PLANNERS,
    ("POST", M + "/integrity-reports"): ROSTER,
    # documents
    ("POST", M + "/documents"): EDITORS_AND_PLANNERS,
    ("GET", M + "/documents"): ROSTER,
    ("GET", DOC): ROSTER,
    ("GET", DOC + "/file"): ROSTER,
    ("GET", DOC + "/annotated"): ROSTER,
    # minutes
    ("GET", M + "/minutes"): ROSTER,
    ("POST", M + "/minutes"): MINUTES_CLERK,
    ("GET", M + "/minutes/jobs/{job_id:str}"): MINUTES_DRAFT,
    ("GET", M + "/minutes/{version:int}/file"): MINUTES_DRAFT,
    ("POST", M + "/minutes/{version:int}/sign"): MINUTES_SIGNERS,
    ("POST", "/api/minutes/verify"): SIGNED_IN,
    ("GET", "/api/committees/{committee_id:int}/minutes-profile"): COMMITTEE_CLERKS,
    ("PUT", "/api/committees/{committee_id:int}/minutes-profile"): COMMITTEE_CLERKS,
    ("GET", "/api/committees/minutes-preview"): COMMITTEE_CLERKS,
    ("GET", "/api/users/{user_id:int}/signing-certificate"): ADMIN_OR_SELF,
    ("GET", "/api/ca/crl"): ANYONE,  # relying parties check signatures without an account
    ("PUT", "/api/users/{user_id:int}/signing-certificate"): ADMIN,
    # the room display (display_routes.py)
    ("POST", M + "/display-links"): EDITORS_UPLOAD,
    ("GET", M + "/display-links"): EDITORS_UPLOAD,
    ("DELETE", M + "/display-links"): EDITORS_UPLOAD,
    ("POST", "/api/display/session"): ANYONE,
    ("GET", "/api/display/documents/{document_id:int}/file"): DISPLAY_ONLY,
    # administration
    ("GET", "/api/users"): ADMIN,
    ("POST", "/api/users"): ADMIN,
    ("POST", "/api/users/import/preview"): ADMIN,
    ("POST", "/api/users/import"): ADMIN,
    ("PATCH", "/api/users/{user_id:int}"): ADMIN,
    ("POST", "/api/users/{user_id:int}/password-reset"): ADMIN,
    ("PUT", "/api/users/{user_id:int}/active"): ADMIN,
    ("GET", "/api/users/{user_id:int}/sessions"): ADMIN,
    ("DELETE", "/api/users/{user_id:int}/sessions"): ADMIN,
    ("GET", "/api/committees"): SIGNED_IN,  # administrators all, others those they clerk
    ("POST", "/api/committees"): ADMIN,
    ("GET", "/api/committees/{committee_id:int}"): COMMITTEE_CLERKS,
    ("PATCH", "/api/committees/{committee_id:int}"): ADMIN,
    ("PUT", "/api/committees/{committee_id:int}/rules"): ADMIN,
}
"""(method, Starlette path template) → caller → outcome. ``/static`` is a mount."""

PLANNER_ROUTES: frozenset[tuple[str, str]] = frozenset(
    key for key, row in ROUTES.items() if row is EDITORS_AND_PLANNERS or row is PLANNERS
)
"""Routes where a clerk of the committee is a planner of every meeting of it: the
``clerk`` caller keeps its access on another meeting of the same committee."""

DISPLAY_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {("GET", "/api/display/documents/{document_id:int}/file")}
)
"""What a room display's cookie opens beside the ``ANYONE`` routes; it is no session, so
every other route answers it ``unauthenticated`` (``tests/integration/test_display.py``
tries them all)."""
