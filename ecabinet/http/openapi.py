"""The OpenAPI 3.1 description of the HTTP API, served at ``GET /api/openapi.json``.

It states what each endpoint takes and answers; every error answer has the one error body
(``{"error": {"code", "message", "data"?}}`` with a code of the closed set in
``ecabinet.errors``).
``tests/integration/test_openapi.py`` runs schemathesis against a real server with it and
checks that the document names every ``/api`` route of the application.
The websocket protocol is described in docs/protocol.md, not here.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.errors import ERROR_CODES
from ecabinet.http.common import ID_MAX

JSON = "application/json"
PDF = "application/pdf"

Schema = dict[str, Any]


def _obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    return {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
    }


STRING: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}
ANY_OBJECT: Schema = {"type": "object"}
ID: Schema = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
HASH_HEX: Schema = {"type": "string", "pattern": "^[0-9a-f]{64}$"}

ERROR = _obj(
    {
        "error": _obj(
            {"code": {"enum": sorted(ERROR_CODES)}, "message": STRING},
            {"data": ANY_OBJECT},  # a refusal's numbers, e.g. no-quorum's (docs/protocol.md)
        )
    }
)
NULLABLE_INT: Schema = {"type": ["integer", "null"]}
# Minutes (ecabinet/minutes/state.py Version.to_wire; the acks of minutes.generate/sign).
MINUTES_STATUS: Schema = {"type": "string", "enum": ["draft", "clerk-signed", "final"]}
MINUTES_VERSION = _obj(
    {
        "version": INT,
        "status": MINUTES_STATUS,
        "sha256": HASH_HEX,
        "draft_sha256": HASH_HEX,
        "size": INT,
        "pages": INT,
        "head_seq": INT,
        "head_hash": HASH_HEX,
        "layout": {"type": "string", "enum": ["state", "party", "en"]},
        "number": {
            "type": "string",
            "description": "the document number and symbol printed after “Số”, e.g. 05/BB-UBND",
        },
        "generated_at": {"type": "string", "format": "date-time"},
        "generated_by": NULLABLE_INT,
        "replaces": NULLABLE_INT,
        "signatures": {
            "type": "array",
            "items": _obj(
                {
                    "role": {"type": "string", "enum": ["clerk", "chair"]},
                    "user_id": NULLABLE_INT,
                    "at": {"type": "string", "format": "date-time"},
                    "sha256": HASH_HEX,
                }
            ),
        },
    }
)
MINUTES_LIST = _obj(
    {"versions": {"type": "array", "items": MINUTES_VERSION}},
    {"layout": {"type": ["string", "null"]}, "job": {"type": ["object", "null"]}},
)
# A committed minutes command: its seq in the log, the version and its status after it.
MINUTES_ACK = _obj({"ok": BOOL, "seq": INT}, {"version": INT, "status": MINUTES_STATUS})
# The log checked against its signed checkpoints (ecabinet/checkpoints/audit.py).
CHECKPOINT_AUDIT = _obj(
    {
        "ok": BOOL,
        "count": INT,
        "verified": INT,
        "latest_seq": NULLABLE_INT,
        "first_bad": {
            "oneOf": [
                {"type": "null"},
                _obj({"line": INT, "seq": NULLABLE_INT, "reason": STRING}),
            ]
        },
    }
)
USER = _obj({"id": INT, "username": STRING, "display_name": STRING, "is_admin": BOOL})
# A display link as listed (ecabinet/meetings/display_links.py); times in Unix seconds.
DISPLAY_LINK = _obj({"id": INT, "created_at": NUMBER, "expires_at": NUMBER})
# A person as the back office lists them (ecabinet/auth/users.py public()).
PERSON = _obj(
    {
        "id": INT,
        "username": STRING,
        "display_name": STRING,
        "is_admin": BOOL,
        "is_active": BOOL,
        "title": STRING,
        "unit": STRING,
    }
)
# A generated password, in the one answer that shows it (docs/security.md).
GENERATED_PASSWORD: Schema = {"type": "string", "minLength": 16}
CSV = "text/csv"
# The CSV list of people (ecabinet/auth/people_import.py: columns, encodings, limits).
CSV_BODY: Schema = {
    "required": True,
    "content": {CSV: {"schema": {"type": "string", "format": "binary"}}},
}
CSV_PARAMS = [
    {
        "name": "encoding",
        "in": "query",
        "required": False,
        "schema": {"enum": ["auto", "utf-8", "cp1258"]},
    }
]
IMPORT_ROW = _obj(
    {
        "line": INT,
        "username": STRING,
        "full_name": STRING,
        "title": STRING,
        "unit": STRING,
        "errors": {
            "type": "array",
            "items": _obj({"column": STRING, "code": STRING, "message": STRING}),
        },
    }
)
IMPORT_PREVIEW = _obj(
    {
        "ok": BOOL,
        "encoding": {"enum": ["utf-8", "utf-8-sig", "cp1258"]},
        "columns": {"type": "array", "items": STRING},
        "rows": {"type": "array", "items": IMPORT_ROW},
        "errors": INT,
    }
)
EVENT = _obj(
    {
        "meeting_id": INT,
        "seq": INT,
        "type": STRING,
        "actor_id": {"type": ["integer", "null"]},
        "at": STRING,
        "data": ANY_OBJECT,
        "hash": STRING,
    }
)
DOCUMENT = _obj(
    {
        "id": INT,
        "title": STRING,
        "filename": STRING,
        "sha256": STRING,
        "size": INT,
        "pages": INT,
        "version": INT,
    }
)

# A committee's kind gives its polls' statutory defaults (docs/voting.md, "Committee kinds").
COMMITTEE_KIND: Schema = {"enum": ["party", "peoples_committee", "peoples_council", "other"]}
QUORUM_SETTING: Schema = {"type": ["object", "null"]}  # voting's quorum wire form; null: default
COMMITTEE_RULES = _obj({"kind": COMMITTEE_KIND, "majority": STRING, "quorum": ANY_OBJECT})
COMMITTEE = _obj(
    {
        "id": INT,
        "name": STRING,
        "kind": COMMITTEE_KIND,
        "quorum": QUORUM_SETTING,
        "rules": COMMITTEE_RULES,
    }
)
# A committee's minutes profile (ecabinet/minutes/profile.py): texts of at most 300 characters.
PROFILE_TEXT: Schema = {"type": "string", "maxLength": 300}
MINUTES_LAYOUT: Schema = {"enum": ["state", "party", "en"]}
MINUTES_PROFILE = _obj(
    {
        "layout": MINUTES_LAYOUT,
        "superior_body": PROFILE_TEXT,
        "official_name": PROFILE_TEXT,
        "abbreviation": PROFILE_TEXT,
        "place": PROFILE_TEXT,
        "chair_on_behalf": PROFILE_TEXT,
        "recipients": {"type": "array", "maxItems": 20, "items": PROFILE_TEXT},
    }
)
MINUTES_PROFILE_BODY: Schema = {
    **_obj({}, MINUTES_PROFILE["properties"]),
    "additionalProperties": False,
}
# The back office's view of a committee (ecabinet/meetings/committees.py describe()).
COMMITTEE_DETAIL = {
    **COMMITTEE,
    "required": sorted([*COMMITTEE["required"], "members", "clerks", "profile"]),
    "properties": {
        **COMMITTEE["properties"],
        "members": {
            "type": "array",
            "items": _obj(
                {
                    "user_id": INT,
                    "username": STRING,
                    "display_name": STRING,
                    "title": STRING,
                    "unit": STRING,
                    "is_active": BOOL,
                }
            ),
        },
        "clerks": {"type": "array", "items": _obj({"user_id": INT, "display_name": STRING})},
        "profile": MINUTES_PROFILE,
    },
}
# What the law gives each kind (voting/_statute.py), for the back office's kind field.
COMMITTEE_STATUTE = _obj(
    {
        "kind": COMMITTEE_KIND,
        "majority": STRING,
        "quorum": ANY_OBJECT,
        "quorum_floor": QUORUM_SETTING,
    }
)
COMMITTEE_BODY = {
    "member_ids": {"type": "array", "maxItems": 1000, "items": ID},
    "kind": COMMITTEE_KIND,
    "quorum": QUORUM_SETTING,
    "profile": MINUTES_PROFILE_BODY,
}
COMMITTEE_NAME: Schema = {"type": "string", "minLength": 1, "maxLength": 300}
# The profile preview's query: the header's texts, the committee's name and kind.
PREVIEW_PARAMS: list[Schema] = [
    {"name": "name", "in": "query", "required": False, "schema": COMMITTEE_NAME},
    {"name": "kind", "in": "query", "required": False, "schema": COMMITTEE_KIND},
    {"name": "layout", "in": "query", "required": False, "schema": MINUTES_LAYOUT},
    *(
        {"name": text, "in": "query", "required": False, "schema": PROFILE_TEXT}
        for text in ("superior_body", "official_name", "abbreviation", "place")
    ),
]
HTML = "text/html"


def _path_param(name: str) -> Schema:
    schema = {"type": "string"} if name == "job_id" else ID
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(name: str, schema: Schema) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def _json_body(schema: Schema, *, required: bool = True) -> Schema:
    return {"required": required, "content": {JSON: {"schema": schema}}}


PDF_BODY: Schema = {
    "required": True,
    "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
}


def _answer(status: int, schema: Schema | None, media: str = JSON) -> dict[str, Schema]:
    if schema is None:
        return {str(status): {"description": "done, no body"}}
    return {str(status): {"description": "done", "content": {media: {"schema": schema}}}}


PDF_ANSWER = {"type": "string", "format": "binary"}


def _op(
    summary: str,
    answers: dict[str, Schema],
    *,
    body: Schema | None = None,
    params: list[Schema] | None = None,
    public: bool = False,
) -> Schema:
    operation: Schema = {
        "summary": summary,
        "responses": {
            **answers,
            "default": {
                "description": "refused: see the error code",
                "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    }
    if body is not None:
        operation["requestBody"] = body
    if params:
        operation["parameters"] = params
    if public:
        operation["security"] = []
    return operation


M = "/api/meetings/{meeting_id}"
ROSTER_BODY: Schema = {
    "type": "array",
    "items": _obj({"user_id": ID, "role": {"enum": ["chair", "clerk", "member", "observer"]}}),
}
PLANNED_MEETING = _obj({"meeting": ANY_OBJECT, "roster": {"type": "array", "items": ANY_OBJECT}})
DOC = M + "/documents/{document_id}"

PATHS: dict[str, dict[str, Schema]] = {
    "/api/login": {
        "post": _op(
            "Sign in: sets the session cookie",
            _answer(200, _obj({"user": USER})),
            body=_json_body(_obj({"username": STRING, "password": STRING})),
            public=True,
        )
    },
    "/api/logout": {"post": _op("Sign out: ends this session and its sockets", _answer(204, None))},
    "/api/me": {"get": _op("The signed-in user", _answer(200, _obj({"user": USER})))},
    "/api/me/password": {
        "post": _op(
            "Change the password: ends every session of the user",
            _answer(204, None),
            body=_json_body(_obj({"current_password": STRING, "new_password": STRING})),
        )
    },
    "/api/meetings": {
        "get": _op(
            "The meetings the user is on (drafts: chair and clerk only); every meeting for"
            " an administrator; scope=planning: those the user prepares (an administrator's"
            " all, a committee clerk's their committees'). Filters on the scheduled date:"
            " from, to (YYYY-MM-DD)",
            _answer(200, _obj({"meetings": {"type": "array", "items": ANY_OBJECT}})),
            params=[
                _query("committee_id", ID),
                _query("status", {"enum": ["scheduled", "live", "ended", "cancelled"]}),
                _query("from", {"type": "string", "format": "date"}),
                _query("to", {"type": "string", "format": "date"}),
                _query("scope", {"enum": ["planning"]}),
            ],
        ),
        "post": _op(
            "Create a meeting (administrators; a committee's clerks for their committees)",
            _answer(201, _obj({"meeting": ANY_OBJECT})),
            body=_json_body(
                _obj(
                    {
                        "committee_id": ID,
                        "title": STRING,
                        "scheduled_at": STRING,
                        "roster": {
                            "type": "array",
                            "items": _obj(
                                {
                                    "user_id": ID,
                                    "role": {"enum": ["chair", "clerk", "member", "observer"]},
                                }
                            ),
                        },
                    },
                    {
                        "location": STRING,
                        "published": BOOL,
                        "allow_overlap": BOOL,
                        "copy_from": ID,
                    },
                )
            ),
        ),
    },
    M + "/plan": {
        "get": _op(
            "A meeting as the back office prepares it: roster, agenda, documents (planners)",
            _answer(
                200,
                _obj(
                    {
                        "meeting": ANY_OBJECT,
                        "roster": {"type": "array", "items": ANY_OBJECT},
                        "agenda": ANY_OBJECT,
                        "documents": {"type": "array", "items": DOCUMENT},
                    }
                ),
            ),
        )
    },
    M + "/cancel": {
        "post": _op(
            "Cancel a scheduled meeting with a reason (planners; event meeting.cancelled)",
            _answer(200, PLANNED_MEETING),
            body=_json_body(_obj({"reason": STRING})),
        )
    },
    M + "/roster": {
        "put": _op(
            "Replace the roster, exactly one chair (planners; event roster.changed)",
            _answer(200, PLANNED_MEETING),
            body=_json_body(_obj({"roster": ROSTER_BODY})),
        )
    },
    M + "/agenda-items": {
        "post": _op(
            "Add an agenda item before the meeting (planners; event agenda.item_added)",
            _answer(201, _obj({"item_id": ID, "seq": INT})),
            body=_json_body(
                _obj(
                    {"title": STRING, "kind": {"enum": ["information", "discussion", "decision"]}},
                    {
                        "description": STRING,
                        "planned_minutes": {"type": ["integer", "null"]},
                        "parent_id": {"type": ["integer", "null"]},
                    },
                )
            ),
        )
    },
    M + "/publish": {
        "post": _op(
            "Publish: the members see the meeting and its documents (planners)",
            _answer(200, PLANNED_MEETING),
            body=_json_body(_obj({})),
        )
    },
    M: {
        "get": _op(
            "A meeting, the caller's role and the roster",
            _answer(
                200,
                _obj(
                    {
                        "meeting": ANY_OBJECT,
                        "my_role": STRING,
                        "roster": {"type": "array", "items": ANY_OBJECT},
                    }
                ),
            ),
        ),
        "patch": _op(
            "Change the title, place or time of a scheduled meeting (planners; event"
            " meeting.rescheduled)",
            _answer(200, PLANNED_MEETING),
            body=_json_body(
                _obj(
                    {},
                    {
                        "title": STRING,
                        "location": STRING,
                        "scheduled_at": STRING,
                        "allow_overlap": BOOL,
                    },
                )
            ),
        ),
    },
    M + "/events": {
        "get": _op(
            "The meeting's events after a seq (private ones of others redacted)",
            _answer(200, _obj({"events": {"type": "array", "items": EVENT}})),
            params=[
                _query("after", {"type": "integer", "minimum": 0, "maximum": ID_MAX}),
                _query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}),
            ],
        )
    },
    M + "/audit": {
        "get": _op(
            "Check the meeting's hash chain (chair, clerk, administrators)",
            _answer(
                200,
                _obj(
                    {
                        "ok": BOOL,
                        "events": INT,
                        "first_bad_seq": {"type": ["integer", "null"]},
                        "reason": {"type": ["string", "null"]},
                        "checkpoints": CHECKPOINT_AUDIT,
                    }
                ),
            ),
        )
    },
    M + "/integrity-reports": {
        "post": _op(
            "Report an event that does not match the meeting's hash chain (roster)",
            _answer(204, None),
            body=_json_body(
                {
                    **_obj({"seq": ID, "expected": HASH_HEX, "computed": HASH_HEX}),
                    "additionalProperties": False,
                }
            ),
        )
    },
    M + "/documents": {
        "get": _op(
            "The meeting's documents",
            _answer(200, _obj({"documents": {"type": "array", "items": DOCUMENT}})),
        ),
        "post": _op(
            "Upload a PDF (chair, clerk)",
            _answer(201, _obj({"document": DOCUMENT, "seq": INT})),
            body=PDF_BODY,
            params=[
                _query("title", STRING),
                _query("item_id", ID),
                _query("replaces_id", ID),
                {"name": "X-File-Name", "in": "header", "required": False, "schema": STRING},
            ],
        ),
    },
    DOC: {
        "get": _op(
            "A document and its page sizes",
            _answer(
                200,
                _obj(
                    {
                        "document": DOCUMENT,
                        "page_sizes": {
                            "type": "array",
                            "items": {"type": "array", "items": {"type": "number"}},
                        },
                    }
                ),
            ),
        )
    },
    DOC + "/file": {
        "get": _op(
            "The PDF (ranged requests allowed); watermark=1 stamps the reader's name",
            {**_answer(200, PDF_ANSWER, PDF), **_answer(206, PDF_ANSWER, PDF)},
            params=[_query("watermark", {"enum": ["0", "1"]})],
        )
    },
    DOC + "/annotated": {
        "get": _op(
            "The reader's annotated copy (shared=1 adds the shared marks)",
            _answer(200, PDF_ANSWER, PDF),
            params=[_query("shared", {"enum": ["0", "1"]})],
        )
    },
    M + "/minutes": {
        "get": _op("The minutes versions the caller may see", _answer(200, MINUTES_LIST)),
        "post": _op(
            "Generate the minutes (the clerk, after the meeting)",
            {**_answer(201, MINUTES_ACK), **_answer(202, _obj({"job": ANY_OBJECT}))},
            body=_json_body(
                {
                    "type": "object",
                    "properties": {"layout": STRING, "number": STRING},
                },
                required=False,
            ),
        ),
    },
    M + "/minutes/jobs/{job_id}": {
        "get": _op("A minutes generation's progress", _answer(200, _obj({"job": ANY_OBJECT})))
    },
    M + "/minutes/{version}/file": {
        "get": _op("A minutes version's PDF", _answer(200, PDF_ANSWER, PDF))
    },
    M + "/minutes/{version}/sign": {
        "post": _op(
            "Sign a minutes version (clerk, then chair); secret: the signer's password, or "
            "their token's PIN",
            _answer(200, MINUTES_ACK),
            body=_json_body(_obj({"secret": STRING})),
        )
    },
    "/api/minutes/verify": {
        "post": _op("Verify a minutes PDF", _answer(200, _obj({"ok": BOOL})), body=PDF_BODY)
    },
    "/api/committees/{committee_id}/minutes-profile": {
        "get": _op(
            "A committee's minutes profile (administrators, the committee's clerks)",
            _answer(200, _obj({"profile": MINUTES_PROFILE})),
        ),
        "put": _op(
            "Set a committee's minutes profile; fields left out take their defaults "
            "(administrators, the committee's clerks)",
            _answer(200, _obj({"profile": MINUTES_PROFILE})),
            body=_json_body(MINUTES_PROFILE_BODY),
        ),
    },
    "/api/committees/minutes-preview": {
        "get": _op(
            "The top of a minutes page as the profile in the query prints it, as HTML for "
            "a frame; saves nothing (administrators, committees' clerks)",
            _answer(200, {"type": "string"}, HTML),
            params=PREVIEW_PARAMS,
        ),
    },
    "/api/users/{user_id}/signing-certificate": {
        "get": _op(
            "A user's signing certificate (administrators, the user)",
            _answer(200, _obj({"certificate": ANY_OBJECT})),
        ),
        "put": _op(
            "Choose a user's signer: the development CA, an imported PKCS#12, or a PKCS#11 "
            "token's key (administrators)",
            _answer(200, _obj({"certificate": ANY_OBJECT})),
            body=_json_body(
                _obj(
                    {},
                    {
                        "signer": {"type": "string", "enum": ["dev-ca", "pkcs12", "pkcs11"]},
                        "pkcs12": STRING,
                        "password": STRING,
                        "token": STRING,
                        "key": STRING,
                        "certificate": STRING,
                        "chain": STRING,
                    },
                )
            ),
        ),
    },
    "/api/users": {
        "get": _op(
            "Every user (administrators)",
            _answer(200, _obj({"users": {"type": "array", "items": PERSON}})),
        ),
        "post": _op(
            "Create a user (administrators); without a password one is generated and answered once",
            _answer(201, _obj({"user": PERSON}, {"password": GENERATED_PASSWORD})),
            body=_json_body(
                _obj(
                    {"username": STRING, "display_name": STRING},
                    {"password": STRING, "is_admin": BOOL, "title": STRING, "unit": STRING},
                )
            ),
        ),
    },
    "/api/people": {
        "get": _op(
            "Whom a roster may name, for the planners of meetings: id, username,"
            " display_name, title, unit, is_active (no account details)",
            _answer(
                200,
                _obj(
                    {
                        "people": {
                            "type": "array",
                            "items": _obj(
                                {
                                    "id": ID,
                                    "username": STRING,
                                    "display_name": STRING,
                                    "title": STRING,
                                    "unit": STRING,
                                    "is_active": BOOL,
                                }
                            ),
                        }
                    }
                ),
            ),
        )
    },
    # the room display (ecabinet/http/display_routes.py; docs/protocol.md, "The room display")
    M + "/display-links": {
        "post": _op(
            "Issue a display link for the room's big screen; its token is answered once "
            "(chair or clerk; not once the meeting has ended)",
            _answer(201, _obj({"link": DISPLAY_LINK, "token": STRING, "path": STRING})),
            body=_json_body(
                {
                    **_obj({}, {"hours": {"type": "integer", "minimum": 1, "maximum": 24}}),
                    "additionalProperties": False,
                }
            ),
        ),
        "get": _op(
            "The meeting's live display links (chair or clerk)",
            _answer(200, _obj({"links": {"type": "array", "items": DISPLAY_LINK}})),
        ),
        "delete": _op(
            "Revoke every display link of the meeting; their displays are disconnected at "
            "once (chair or clerk)",
            _answer(200, _obj({"revoked": INT})),
        ),
    },
    "/api/display/session": {
        "post": _op(
            "Trade a display link's token for the display cookie (ecabinet_display)",
            _answer(200, _obj({"display": _obj({"meeting_id": INT})})),
            body=_json_body({**_obj({"token": STRING}), "additionalProperties": False}),
            public=True,
        )
    },
    "/api/display/documents/{document_id}/file": {
        "get": {
            **_op(
                "The PDF being presented in the display's meeting (the display cookie only)",
                _answer(200, PDF_ANSWER, PDF),
            ),
            "security": [{"display": []}],
        }
    },
    "/api/users/import/preview": {
        "post": _op(
            "Check a CSV list of people row by row; saves nothing (administrators)",
            _answer(200, IMPORT_PREVIEW),
            body=CSV_BODY,
            params=CSV_PARAMS,
        )
    },
    "/api/users/import": {
        "post": _op(
            "Import a CSV list of people in one transaction, each with a generated password "
            "answered once (administrators)",
            _answer(
                201,
                _obj(
                    {
                        "encoding": STRING,
                        "users": {
                            "type": "array",
                            "items": {
                                **PERSON,
                                "required": sorted([*PERSON["required"], "password", "line"]),
                                "properties": {
                                    **PERSON["properties"],
                                    "password": GENERATED_PASSWORD,
                                    "line": INT,
                                },
                            },
                        },
                    }
                ),
            ),
            body=CSV_BODY,
            params=CSV_PARAMS,
        )
    },
    "/api/users/{user_id}": {
        "patch": _op(
            "Edit a person's full name, title and unit (administrators)",
            _answer(200, _obj({"user": PERSON})),
            body=_json_body(
                {
                    **_obj({}, {"display_name": STRING, "title": STRING, "unit": STRING}),
                    "additionalProperties": False,
                }
            ),
        )
    },
    "/api/users/{user_id}/password-reset": {
        "post": _op(
            "Give a user a new generated password, answered once; ends every session of "
            "the user (administrators; not for oneself)",
            _answer(200, _obj({"password": GENERATED_PASSWORD, "ended": INT})),
            body=_json_body({"type": "object", "maxProperties": 0}),
        )
    },
    "/api/users/{user_id}/active": {
        "put": _op(
            "Activate or deactivate a user (administrators)",
            _answer(204, None),
            body=_json_body(_obj({"active": BOOL})),
        )
    },
    "/api/users/{user_id}/sessions": {
        "get": _op(
            "A user's sessions (administrators)",
            _answer(200, _obj({"sessions": {"type": "array"}})),
        ),
        "delete": _op(
            "End every session of a user (administrators)", _answer(200, _obj({"ended": INT}))
        ),
    },
    "/api/committees": {
        "get": _op(
            "Every committee (administrators); the committees one is a clerk of (anyone "
            "else); each kind's statutory defaults",
            _answer(
                200,
                _obj(
                    {
                        "committees": {"type": "array", "items": COMMITTEE_DETAIL},
                        "kinds": {"type": "array", "items": COMMITTEE_STATUTE},
                    }
                ),
            ),
        ),
        "post": _op(
            "Create a committee with its members and minutes profile, all or nothing "
            "(administrators)",
            _answer(201, _obj({"committee": COMMITTEE_DETAIL})),
            body=_json_body(
                {**_obj({"name": COMMITTEE_NAME}, COMMITTEE_BODY), "additionalProperties": False}
            ),
        ),
    },
    "/api/committees/{committee_id}": {
        "get": _op(
            "A committee with its members, clerks and minutes profile (administrators, the "
            "committee's clerks)",
            _answer(200, _obj({"committee": COMMITTEE_DETAIL})),
        ),
        "patch": _op(
            "Change what is sent of a committee's name, kind and quorum, members and minutes "
            "profile, all or nothing (administrators)",
            _answer(200, _obj({"committee": COMMITTEE_DETAIL})),
            body=_json_body(
                {
                    **_obj({}, {"name": COMMITTEE_NAME, **COMMITTEE_BODY}),
                    "additionalProperties": False,
                }
            ),
        ),
    },
    "/api/committees/{committee_id}/rules": {
        "put": _op(
            "Set a committee's kind and quorum setting (administrators)",
            _answer(200, _obj({"committee": COMMITTEE})),
            body=_json_body(_obj({"kind": COMMITTEE_KIND}, {"quorum": QUORUM_SETTING})),
        ),
    },
    "/api/openapi.json": {
        "get": _op("This document", _answer(200, ANY_OBJECT), public=True),
    },
    "/api/ca/crl": {
        "get": _op(
            "The development CA's certificate revocation list (DER; 404 without that CA)",
            _answer(200, PDF_ANSWER, "application/pkix-crl"),
            public=True,
        ),
    },
    "/api/checkpoints/key": {
        "get": _op(
            "The Ed25519 public key of the signed checkpoints (raw 32 bytes in base64)",
            _answer(200, _obj({"algorithm": STRING, "public_key": STRING, "key_id": STRING})),
            public=True,
        ),
    },
}


def _with_path_params(paths: dict[str, dict[str, Schema]]) -> dict[str, dict[str, Schema]]:
    out = {}
    for path, operations in paths.items():
        names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        out[path] = {
            method: {
                **operation,
                "parameters": [_path_param(n) for n in names] + operation.get("parameters", []),
            }
            for method, operation in operations.items()
        }
    return out


OPENAPI: Schema = {
    "openapi": "3.1.0",
    "info": {
        "title": "E-cabinet HTTP API",
        "version": "1",
        "description": "Meetings, documents, minutes and administration. Sign in with "
        "POST /api/login; the session cookie authenticates every other call. "
        "State-changing requests from a browser must carry an allowed Origin.",
    },
    "servers": [{"url": "/"}],
    "components": {
        "schemas": {"Error": ERROR},
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "ecabinet_session"},
            "display": {"type": "apiKey", "in": "cookie", "name": "ecabinet_display"},
        },
    },
    "security": [{"session": []}],
    "paths": _with_path_params(PATHS),
}


async def openapi(_request: Request) -> Response:
    return JSONResponse(OPENAPI, headers={"Cache-Control": "no-cache"})


routes = [Route("/api/openapi.json", openapi, methods=["GET"])]
