"""The meeting's machine-readable record: everything the minutes show, as JSON.

Built from the folded state, the roster, the meeting row and the log itself (arrival and
departure times, the quorum counted at each poll's close) up to the head ``(seq, hash)``
the minutes cover. Secret polls appear with their totals and published receipts only:
the state folded from the log has no secret choice, so none can reach the record.

``audit.events`` is the log itself, each event as the wire gives it (with its hash), so that
anyone can recompute the chain up to the head with a JSON parser, SHA-256 and, under hash
rule 2, an RFC 8785 library (docs/verify.md). Private annotation events are redacted, as for
anyone but their owner: their place and hash stay, so the chain still links through them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import agenda
import voting
from ecabinet.annotations import rules as annotation_rules
from ecabinet.events import Event
from ecabinet.meetings.repo import RosterEntry
from ecabinet.meetings.rules import MeetingState, Role
from ecabinet.minutes.profile import MinutesProfile, effective

RECORD_FORMAT = "ecabinet.minutes.record/1"
RECORD_FILENAME = "minutes-record.json"
# How each hash rule (ecabinet/store/eventlog.py) is written in the record, in words.
CHAIN_RULES = {
    1: "hash = SHA-256(prev_hash_hex || canonical_json([seq, type, actor_id, at, data]))",
    2: "hash = SHA-256(prev_hash_hex || JCS([seq, type, actor_id, at, data])), JCS = RFC 8785",
}
VOTERS = frozenset({Role.CHAIR, Role.MEMBER})


@dataclass(frozen=True)
class RecordInputs:
    meeting: Mapping[str, Any]  # repo.get_meeting: id, committee_id, committee_name, hash_rule, …
    roster: Sequence[RosterEntry]
    state: MeetingState
    events: Sequence[Event]  # the log from seq 1 up to the head
    head_hash: str
    profile: MinutesProfile
    layout: str
    number: str
    version: int
    replaces: int | None
    generated_at: str


def vietnamese_name_key(name: str) -> tuple[str, str]:
    """Order names as Vietnamese lists do: by the given name (the last word), then the
    whole name; letters compare without tone marks first and Đ follows D."""

    def plain(text: str) -> str:
        text = text.casefold().replace("đ", "d\uffff")
        return "".join(
            c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
        )

    return plain(name.split()[-1] if name.split() else ""), plain(name)


def _person(names: Mapping[int, str], user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    return {"user_id": user_id, "name": names.get(user_id, f"#{user_id}")}


def _attendance(inputs: RecordInputs, names: Mapping[int, str]) -> dict[str, Any]:
    stints: dict[int, list[dict[str, str | None]]] = {}
    for event in inputs.events:
        uid = event.data.get("user_id") if isinstance(event.data, dict) else None
        if event.type == "attendance.checked_in" and isinstance(uid, int):
            stints.setdefault(uid, []).append({"arrived_at": event.at, "left_at": None})
        elif event.type == "attendance.checked_out" and isinstance(uid, int) and uid in stints:
            stints[uid][-1]["left_at"] = event.at
    proxies = {g: h for g, h in inputs.state.voting.proxies.items()}
    present, absent = [], []
    for entry in inputs.roster:
        # ``member``: counted among the voting members; the others (the clerk, observers)
        # are the meeting's guests, listed apart from the members in the minutes.
        base = {
            "user_id": entry.user_id,
            "name": entry.display_name,
            "role": entry.role.value,
            "member": entry.role in VOTERS,
        }
        if entry.user_id in stints:
            present.append({**base, "stints": stints[entry.user_id]})
        else:
            holder = proxies.get(entry.user_id)
            absent.append(
                {
                    **base,
                    "reason": inputs.state.minutes.absences.get(entry.user_id),
                    "proxy_holder": _person(names, holder),
                }
            )
    voting_members = [e for e in inputs.roster if e.role in VOTERS]
    return {
        "voting_members": len(voting_members),
        "voting_members_present": sum(1 for e in voting_members if e.user_id in stints),
        "voting_members_absent": sum(1 for e in voting_members if e.user_id not in stints),
        "present": present,
        "absent": absent,
        "proxies": [
            {"grantor": _person(names, g), "holder": _person(names, h)}
            for g, h in sorted(proxies.items())
        ],
    }


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _agenda(inputs: RecordInputs, names: Mapping[int, str]) -> list[dict[str, Any]]:
    state = inputs.state
    numbers = agenda.numbering(state.agenda)
    items = []
    for item_id, number in sorted(numbers.items(), key=lambda kv: _number_key(kv[1])):
        item = state.agenda.items[item_id]
        note = state.minutes.notes.get(item_id)
        items.append(
            {
                "number": number,
                "item_id": item_id,
                "title": item.title,
                "kind": item.kind.value,
                "status": item.status.value,
                "description": item.description,
                "planned_minutes": item.planned_minutes,
                "presenter": _person(names, item.presenter_id),
                "visits": [
                    {"started_at": v.started_at, "ended_at": v.ended_at} for v in item.visits
                ],
                "spent_secs": item.spent_ms // 1000,
                "speakers": [
                    {
                        **(_person(names, s.user_id) or {}),
                        "started_at": s.started_at,
                        "ended_at": s.ended_at,
                        "duration_secs": s.duration_secs,
                    }
                    for s in item.speeches
                ],
                "note": note.text if note else "",
                "documents": list(item.document_ids),
                "decisions": [
                    d.id for d in state.minutes.decisions.values() if d.item_id == item_id
                ],
                "polls": [p.id for p in state.voting.polls.values() if p.spec.item_id == item_id],
            }
        )
    return items


def _choice_label(poll: voting.Poll, choice: Any) -> str | list[str]:
    if isinstance(choice, str):
        return choice
    return [poll.spec.options[i] for i in choice]


def _polls(inputs: RecordInputs, names: Mapping[int, str]) -> list[dict[str, Any]]:
    quorum_at_close = {
        e.data["poll_id"]: e.data.get("quorum") for e in inputs.events if e.type == "poll.closed"
    }
    quorum_at_open = {
        e.data["poll_id"]: e.data.get("quorum") for e in inputs.events if e.type == "poll.opened"
    }
    polls = []
    for poll_id, poll in sorted(inputs.state.voting.polls.items()):
        spec = poll.spec
        entry: dict[str, Any] = {
            "id": poll_id,
            "title": spec.title,
            "item_id": spec.item_id,
            "kind": spec.kind.value,
            "options": list(spec.options),
            "secret": spec.secret,
            "majority": voting.MAJORITY_RULES[spec.majority].to_wire(),
            "quorum_rule": spec.quorum.to_wire(),
            "quorum_at_open": quorum_at_open.get(poll_id),
            "quorum_at_close": quorum_at_close.get(poll_id),
            "status": poll.status.value,
            "opened_at": poll.opened_at,
            "ended_at": poll.ended_at,
            "cancel_reason": poll.cancel_reason,
            "members": len(poll.members),
            "eligible": len(poll.eligible),
            "recused": [_person(names, u) for u in sorted(poll.recused)],
            "proxies": [
                {"grantor": _person(names, g), "holder": _person(names, h)}
                for g, h in sorted(poll.proxies.items())
            ],
            # What it needed, as the server decided it (once closed: the result's numbers).
            "requirement": poll.requirement.to_wire() if poll.requirement else None,
            "result": poll.result.to_wire() if poll.result else None,
        }
        if spec.secret:
            entry["participants"] = len(poll.participants)
            entry["receipts"] = list(poll.receipts)
        else:
            # Present (or represented) at open, not recused, and no ballot: named by name; a
            # secret poll's result gives their number only.
            not_voted = poll.counting - poll.participants if poll.opened_at else frozenset()
            entry["not_voted"] = [
                _person(names, uid)
                for uid in sorted(not_voted, key=lambda u: vietnamese_name_key(names.get(u, "")))
            ]
            entry["roll_call"] = [
                {
                    **(_person(names, uid) or {}),
                    "choice": _choice_label(poll, choice),
                    "cast_by": _person(names, poll.proxies.get(uid)),
                    "recorded_by": _person(names, poll.recorded.get(uid)),  # the clerk
                }
                for uid, choice in sorted(
                    poll.votes.items(), key=lambda kv: vietnamese_name_key(names.get(kv[0], ""))
                )
            ]
        polls.append(entry)
    return polls


def build_record(inputs: RecordInputs) -> dict[str, Any]:
    state, meeting = inputs.state, inputs.meeting
    kind = (meeting.get("committee_rules") or {}).get("kind")
    profile = effective(inputs.profile, meeting["committee_name"], kind, inputs.layout)
    names = {e.user_id: e.display_name for e in inputs.roster}
    by_role: dict[Role, list[RosterEntry]] = {}
    for entry in inputs.roster:
        by_role.setdefault(entry.role, []).append(entry)
    first = {role: _person(names, entries[0].user_id) for role, entries in by_role.items()}
    general = state.minutes.notes.get(None)
    return {
        "format": RECORD_FORMAT,
        "layout": inputs.layout,
        "language": "en" if inputs.layout == "en" else "vi",
        "committee": {
            "id": meeting["committee_id"],
            "name": meeting["committee_name"],
            "official_name": profile.official_name,
            "superior_body": profile.superior_body,
        },
        "document": {
            "version": inputs.version,
            "replaces": inputs.replaces,
            "number": inputs.number,
            "abbreviation": profile.abbreviation,
            "place": profile.place,
            "chair_on_behalf": profile.chair_on_behalf,
            "recipients": list(profile.recipients),
            "generated_at": inputs.generated_at,
        },
        "meeting": {
            "id": meeting["id"],
            "title": meeting["title"],
            "location": meeting["location"],
            "scheduled_at": meeting["scheduled_at"],
            "started_at": state.started_at,
            "ended_at": state.ended_at,
        },
        "chair": first.get(Role.CHAIR),
        "clerk": first.get(Role.CLERK),
        "attendance": _attendance(inputs, names),
        "agenda": _agenda(inputs, names),
        "general_note": general.text if general else "",
        "decisions": [
            {"id": d.id, "item_id": d.item_id, "text": d.text, "poll_id": d.poll_id}
            for _, d in sorted(state.minutes.decisions.items())
        ],
        "polls": _polls(inputs, names),
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "filename": d.filename,
                "sha256": d.sha256,
                "size": d.size,
                "pages": d.pages,
                "version": d.version,
                "item_id": d.item_id,
                "replaces_id": d.replaces_id,
            }
            for _, d in sorted(state.documents.documents.items())
        ],
        "audit": {
            "meeting_id": meeting["id"],
            "seq": state.seq,
            "hash": inputs.head_hash,
            "hash_rule": meeting["hash_rule"],
            "chain": CHAIN_RULES[meeting["hash_rule"]],
            # Viewer None: every private annotation event is redacted (annotations/rules.py).
            "events": [annotation_rules.wire_for(e, None) for e in inputs.events],
        },
    }
