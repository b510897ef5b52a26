"""Poll definitions: what ``poll.create`` accepts and refuses (``invalid``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.voting.app import App, poll_payload, room
from voting import (
    CommitteeKind,
    Invalid,
    Kind,
    Quorum,
    QuorumKind,
    VotingState,
    committee_rules,
)


def _create(**overrides: Any) -> App:
    app = App(room(range(1, 6), range(1, 6)))
    app.create(**overrides)
    return app


def test_a_full_options_poll_definition_is_recorded_as_given() -> None:
    app = _create(
        title="  Bầu Phó Bí thư  ",
        kind="options",
        options=["Nguyễn Văn A", "Trần Thị B", "Lê Văn C"],
        min_choices=1,
        max_choices=1,
        secret=True,
        majority="absolute",
        quorum={"kind": "fraction", "fraction": [2, 3], "strict": False},
        deadline="2026-11-25T08:30:00Z",
        item_id=4,
    )
    spec = app.state.polls[1].spec
    assert spec.title == "Bầu Phó Bí thư"
    assert spec.kind is Kind.OPTIONS
    assert spec.options == ("Nguyễn Văn A", "Trần Thị B", "Lê Văn C")
    assert spec.quorum == Quorum(QuorumKind.FRACTION, fraction=(2, 3), strict=False)
    assert (spec.deadline, spec.item_id) == ("2026-11-25T08:30:00.000Z", 4)


INVALID: dict[str, dict[str, Any]] = {
    "empty title": {"title": "   "},
    "long title": {"title": "x" * 301},
    "unknown kind": {"kind": "ranked"},
    "unknown majority": {"majority": "three_quarters"},
    "secret not a bool": {"secret": "yes"},
    "secret and changeable": {"secret": True, "allow_change": True},
    "options on yes/no": {"options": ["A", "B"]},
    "max_choices on yes/no": {"max_choices": 2},
    "one option": {"kind": "options", "options": ["A"]},
    "duplicate options": {"kind": "options", "options": ["A", "A"]},
    "blank option": {"kind": "options", "options": ["A", " "]},
    "min above max": {"kind": "options", "options": ["A", "B"], "min_choices": 2},
    "max above options": {"kind": "options", "options": ["A", "B"], "max_choices": 3},
    "zero min": {"kind": "options", "options": ["A", "B"], "min_choices": 0},
    "deadline without zone": {"deadline": "2026-11-25T09:00:00"},
    "deadline not a time": {"deadline": "tomorrow"},
    "item not a number": {"item_id": "4"},
    "unknown field": {"colour": "red"},
    "quorum missing kind": {"quorum": {"count": 3}},
    "quorum count zero": {"quorum": {"kind": "count", "count": 0}},
    "quorum fraction above one": {
        "quorum": {"kind": "fraction", "fraction": [3, 2], "strict": False}
    },
    "quorum strict whole": {"quorum": {"kind": "fraction", "fraction": [1, 1], "strict": True}},
    "quorum float fraction": {"quorum": {"kind": "fraction", "fraction": [0.5, 1], "strict": True}},
    "quorum extra field": {"quorum": {"kind": "none", "count": 3}},
    "quorum kind not a text": {"quorum": {"kind": ["none"]}},
}


@pytest.mark.parametrize("overrides", INVALID.values(), ids=INVALID.keys())
def test_invalid_definitions_are_refused_and_nothing_happens(overrides: dict[str, Any]) -> None:
    app = App(room(range(1, 6), range(1, 6)))
    with pytest.raises(Invalid):
        app.create(**overrides)
    assert app.state == VotingState()


@pytest.mark.parametrize("field", ["title", "kind", "secret", "allow_change"])
def test_a_definition_without_a_required_field_is_invalid(field: str) -> None:
    payload = poll_payload()
    del payload[field]
    with pytest.raises(Invalid):
        App(room([1], [1])).run("poll.create", payload)


def _without_rules(**overrides: Any) -> dict[str, Any]:
    payload = poll_payload(**overrides)
    del payload["majority"], payload["quorum"]
    return payload


PEOPLES_COMMITTEE = committee_rules(CommitteeKind.PEOPLES_COMMITTEE)


def test_a_definition_without_majority_and_quorum_takes_the_committees_rules() -> None:
    app = App(room(range(1, 10), range(1, 7)), rules=PEOPLES_COMMITTEE)
    [created] = app.run("poll.create", _without_rules())
    # The event records the rule applied, not "the committee's": the log stands alone.
    assert created.data["majority"] == "absolute"
    assert created.data["quorum"] == {"kind": "fraction", "fraction": [2, 3], "strict": False}
    assert app.state.polls[1].spec.quorum == Quorum(
        QuorumKind.FRACTION, fraction=(2, 3), strict=False
    )


def test_null_majority_and_quorum_also_take_the_committees_rules() -> None:
    app = App(room(range(1, 10), range(1, 7)), rules=PEOPLES_COMMITTEE)
    [created] = app.run("poll.create", poll_payload(majority=None, quorum=None))
    assert (created.data["majority"], created.data["quorum"]["fraction"]) == ("absolute", [2, 3])


def test_a_definition_without_rules_and_no_committee_named_is_never_simple_majority() -> None:
    [created] = App(room(range(1, 10), range(1, 7))).run("poll.create", _without_rules())
    assert created.data["majority"] == "absolute"
    assert created.data["quorum"] == {"kind": "fraction", "fraction": [1, 2], "strict": True}


def test_simple_majority_is_kept_when_the_chair_chooses_it() -> None:
    app = App(room(range(1, 10), range(1, 7)), rules=PEOPLES_COMMITTEE)
    [created] = app.run("poll.create", poll_payload(majority="simple", quorum={"kind": "none"}))
    assert (created.data["majority"], created.data["quorum"]) == ("simple", {"kind": "none"})


def test_an_update_with_null_majority_goes_back_to_the_committees_rule() -> None:
    app = App(room(range(1, 10), range(1, 7)), rules=PEOPLES_COMMITTEE)
    app.create(majority="simple")
    [updated] = app.run("poll.update", {"poll_id": 1, "majority": None})
    assert updated.data["majority"] == "absolute"
    assert updated.data["requirement"] == {"base_kind": "members", "base": 9, "needed": 5}


@pytest.mark.parametrize("majority", [["absolute"], {"name": "absolute"}, 1, True])
def test_a_majority_that_is_not_a_rule_name_is_invalid(majority: Any) -> None:
    with pytest.raises(Invalid):
        App(room([1], [1])).create(majority=majority)


def test_a_payload_that_is_not_an_object_is_invalid() -> None:
    with pytest.raises(Invalid):
        App(room([1], [1])).run("poll.create", ["title"])  # type: ignore[arg-type]
