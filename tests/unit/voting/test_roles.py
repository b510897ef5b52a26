"""Every command with every role: the table in COMMANDS is what ``decide`` enforces."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.voting.app import App, poll_payload, room
from voting import COMMANDS, ROLES, Actor, NotAllowed, VotingError

PAYLOADS: dict[str, dict[str, Any]] = {
    "poll.create": poll_payload(),
    "poll.update": {"poll_id": 1, "title": "Sửa tiêu đề"},
    "poll.open": {"poll_id": 1},
    "poll.close": {"poll_id": 1},
    "poll.cancel": {"poll_id": 1},
    "poll.recuse": {"poll_id": 1},
    "proxy.grant": {"grantor_id": 9, "holder_id": 3},
    "proxy.revoke": {"grantor_id": 9},
    "vote.cast": {"poll_id": 1, "choice": "yes"},
    "vote.record": {"poll_id": 1, "voter_id": 2, "choice": "yes"},
    "vote.mark_paper": {"poll_id": 1, "voter_id": 2},
    "poll.paper_tally": {
        "poll_id": 1,
        "issued": 1,
        "returned": 1,
        "valid": 1,
        "invalid": 0,
        "counts": [1, 0],
    },
}


def test_every_command_has_a_payload_here() -> None:
    assert set(PAYLOADS) == set(COMMANDS)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_with_every_role(command: str, role: str) -> None:
    app = App(room(range(1, 10), [1, 2, 3]))
    app.create()
    before = app.state
    actor = Actor(3, role)
    if role not in COMMANDS[command].roles:
        with pytest.raises(NotAllowed):
            app.run(command, PAYLOADS[command], actor)
        assert app.state == before
        return
    try:  # an allowed role passes the role check; the state may still refuse the command
        events = app.run(command, PAYLOADS[command], actor)
    except VotingError as refused:
        assert not isinstance(refused, NotAllowed)
        assert app.state == before
    else:
        assert {e.type for e in events} <= set(COMMANDS[command].emits)
