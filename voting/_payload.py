"""Validation of command payloads: each function returns a typed value or raises
``Invalid``. Payloads are JSON objects; unknown fields are refused, not ignored."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from voting._choice import YES_NO_ABSTAIN, Choice
from voting._confidence import parse_confidence, parse_ratings
from voting._election import check_kept, parse_election, parse_names
from voting._errors import Invalid
from voting._model import Kind, PollSpec
from voting._rules import MAJORITY_RULES, Quorum, QuorumKind

TITLE_MAX_CHARS = 300
OPTION_MAX_CHARS = 200
OPTIONS_MAX = 50  # options in one poll
REASON_MAX_CHARS = 500
FRACTION_MAX_TERM = 100  # numerator and denominator of a quorum fraction

SPEC_REQUIRED = frozenset({"title", "kind", "secret", "allow_change"})
# ``majority`` and ``quorum`` left out (or null) take the committee's rules (_statute.py).
SPEC_OPTIONAL = frozenset(
    {
        "majority",
        "quorum",
        "options",
        "min_choices",
        "max_choices",
        "deadline",
        "item_id",
        "low_flag",  # confidence votes only
    }
)


def expect_fields(
    data: Mapping[str, Any], required: Collection[str], optional: Collection[str] = ()
) -> None:
    if not isinstance(data, Mapping):
        raise Invalid("data must be an object")
    unknown = set(data) - set(required) - set(optional)
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(map(str, unknown)))}")
    missing = set(required) - set(data)
    if missing:
        raise Invalid(f"missing fields: {', '.join(sorted(missing))}")


def get_int(data: Mapping[str, Any], key: str, minimum: int = 1) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise Invalid(f"{key} must be a whole number of at least {minimum}")
    return value


def get_bool(data: Mapping[str, Any], key: str) -> bool:
    value = data[key]
    if not isinstance(value, bool):
        raise Invalid(f"{key} must be true or false")
    return value


def get_text(data: Mapping[str, Any], key: str, max_chars: int) -> str:
    value = data[key]
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > max_chars:
        raise Invalid(f"{key} must be text of 1 to {max_chars} characters")
    return text


def parse_now(now: str) -> datetime:
    """The application's clock reading; a malformed one is the application's fault."""
    try:
        return _parse_utc(now)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"now must be an ISO 8601 UTC instant, not {now!r}") from exc


def parse_instant(raw: Any, key: str) -> datetime:
    try:
        return _parse_utc(raw)
    except (TypeError, ValueError):
        raise Invalid(f"{key} must be an ISO 8601 instant with a time zone") from None


def format_instant(moment: datetime) -> str:
    """The canonical form, e.g. ``2026-11-25T08:00:00.000Z`` (milliseconds, UTC)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _parse_utc(raw: Any) -> datetime:
    if not isinstance(raw, str):
        raise TypeError("not a string")
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment.astimezone(UTC)


def parse_spec(
    data: Mapping[str, Any], now: datetime, *, majority: str, quorum: Quorum
) -> PollSpec:
    """A whole poll definition; absent optional fields and ``null`` mean the default, and
    for ``majority`` and ``quorum`` the default is the committee's (the keyword arguments)."""
    expect_fields(data, SPEC_REQUIRED, SPEC_OPTIONAL)
    given = {k: v for k, v in data.items() if v is not None}
    expect_fields(given, SPEC_REQUIRED, SPEC_OPTIONAL)
    kind_raw = given["kind"]
    if kind_raw not in {k.value for k in Kind}:
        raise Invalid(f"kind must be one of {', '.join(k.value for k in Kind)}")
    kind = Kind(kind_raw)
    majority = given.get("majority", majority)
    if not isinstance(majority, str) or majority not in MAJORITY_RULES:
        raise Invalid(f"majority must be one of {', '.join(MAJORITY_RULES)}")
    secret, allow_change = get_bool(given, "secret"), get_bool(given, "allow_change")
    if secret and allow_change:
        # The secret ballot store has no link to its voter, so a recast could not find the
        # ballot it replaces: secret ballots are final.
        raise Invalid("a secret ballot cannot be changed once cast: allow_change must be false")
    options, low, high = _parse_options(given, kind, majority)
    low_flag = None
    if kind is Kind.CONFIDENCE:
        low_flag = parse_confidence(given)
    elif "low_flag" in given:
        raise Invalid("low_flag belongs to confidence votes only")
    deadline = None
    if "deadline" in given:
        moment = parse_instant(given["deadline"], "deadline")
        if moment <= now:
            raise Invalid("the deadline must be in the future")
        deadline = format_instant(moment)
    return PollSpec(
        title=get_text(given, "title", TITLE_MAX_CHARS),
        kind=kind,
        secret=secret,
        allow_change=allow_change,
        majority=majority,
        quorum=parse_quorum(given["quorum"]) if "quorum" in given else quorum,
        options=options,
        min_choices=low,
        max_choices=high,
        deadline=deadline,
        item_id=get_int(given, "item_id") if "item_id" in given else None,
        low_flag=low_flag,
    )


def _parse_options(
    given: Mapping[str, Any], kind: Kind, majority: str
) -> tuple[tuple[str, ...], int, int]:
    if kind is Kind.ELECTION:
        return parse_election(given, majority)
    if kind is Kind.CONFIDENCE:
        return parse_names(given.get("options"), "persons (options)"), 1, 1
    if kind is Kind.YES_NO_ABSTAIN:
        if given.get("options", []) != [] or any(
            given.get(key, 1) != 1 for key in ("min_choices", "max_choices")
        ):
            raise Invalid("options and min/max_choices belong to options polls only")
        return (), 1, 1
    raw = given.get("options")
    if not isinstance(raw, list) or not 2 <= len(raw) <= OPTIONS_MAX:
        raise Invalid(f"options must be a list of 2 to {OPTIONS_MAX} labels")
    options = tuple(get_text({"option": o}, "option", OPTION_MAX_CHARS) for o in raw)
    if len(set(options)) != len(options):
        raise Invalid("options must be distinct")
    low = get_int(given, "min_choices") if "min_choices" in given else 1
    high = get_int(given, "max_choices") if "max_choices" in given else 1
    if not low <= high <= len(options):
        raise Invalid("need 1 <= min_choices <= max_choices <= number of options")
    return options, low, high


def parse_quorum(raw: Any) -> Quorum:
    kind_raw = raw.get("kind") if isinstance(raw, Mapping) else None
    if not isinstance(kind_raw, str) or kind_raw not in {k.value for k in QuorumKind}:
        raise Invalid("quorum must be {kind: none | count | fraction, ...}")
    kind = QuorumKind(kind_raw)
    if kind is QuorumKind.NONE:
        expect_fields(raw, {"kind"})
        return Quorum(kind)
    if kind is QuorumKind.COUNT:
        expect_fields(raw, {"kind", "count"})
        return Quorum(kind, count=get_int(raw, "count"))
    expect_fields(raw, {"kind", "fraction", "strict"})
    strict, fraction = get_bool(raw, "strict"), raw["fraction"]
    if (
        not isinstance(fraction, list)
        or len(fraction) != 2
        or not all(type(t) is int and 0 < t <= FRACTION_MAX_TERM for t in fraction)
        or not (fraction[0] < fraction[1] if strict else fraction[0] <= fraction[1])
    ):
        raise Invalid("quorum fraction must be [num, den], 0 < num <= den (num < den if strict)")
    return Quorum(kind, fraction=(fraction[0], fraction[1]), strict=strict)


def parse_choice(spec: PollSpec, raw: Any) -> Choice:
    if spec.kind is Kind.YES_NO_ABSTAIN:
        if raw not in YES_NO_ABSTAIN or not isinstance(raw, str):
            raise Invalid("choice must be yes, no or abstain")
        return str(raw)
    if spec.kind is Kind.CONFIDENCE:
        return parse_ratings(raw, len(spec.options))
    if not isinstance(raw, list) or any(type(i) is not int for i in raw):
        raise Invalid("choice must be a list of option indexes ([] to abstain)")
    picked = tuple(sorted(set(raw)))
    if len(picked) != len(raw) or any(not 0 <= i < len(spec.options) for i in picked):
        raise Invalid(f"choice must name distinct options from 0 to {len(spec.options) - 1}")
    if spec.kind is Kind.ELECTION:
        check_kept(picked, spec.max_choices)
        return picked
    if picked and not spec.min_choices <= len(picked) <= spec.max_choices:
        raise Invalid(f"choose from {spec.min_choices} to {spec.max_choices} options, or none")
    return picked
