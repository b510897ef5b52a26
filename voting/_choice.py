"""A ballot's choice, in memory and on the wire."""

from __future__ import annotations

Choice = str | tuple[int, ...]
"""``"yes"``, ``"no"`` or ``"abstain"`` in a yes/no/abstain poll; in an options poll the
chosen option indexes, ascending, where the empty tuple is an abstention."""

YES, NO, ABSTAIN = "yes", "no", "abstain"
YES_NO_ABSTAIN = (YES, NO, ABSTAIN)


def choice_to_wire(choice: Choice) -> str | list[int]:
    return choice if isinstance(choice, str) else list(choice)


def choice_from_wire(raw: str | list[int]) -> Choice:
    return raw if isinstance(raw, str) else tuple(raw)
