"""The words of a ``not-allowed`` refusal read naturally for every role."""

from __future__ import annotations

import pytest

from ecabinet.meetings.rules import Role
from ecabinet.meetings.service import refusal_message


@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.OBSERVER, "an observer may not send vote.cast"),
        (Role.MEMBER, "a member may not send vote.cast"),
        (Role.CLERK, "a clerk may not send vote.cast"),
    ],
)
def test_the_refusal_names_the_role_with_the_right_article(role: Role, expected: str) -> None:
    assert refusal_message(role.value, "vote.cast") == expected
