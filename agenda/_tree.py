"""The agenda tree as a mapping ``parent id -> ordered child ids`` (``None`` is the root).

Numbers ("1", "1.2", "2.1.3") are derived from the order, never stored, so moving or
removing an item renumbers everything after it and no number can have a gap.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

Children = Mapping[int | None, tuple[int, ...]]

DEPTH_MAX = 3  # levels: 1, 1.1, 1.1.1


def walk(children: Children, parent: int | None = None) -> Iterator[int]:
    """Item ids depth-first in numbering order (a parent before its sub-items)."""
    for child in children.get(parent, ()):
        yield child
        yield from walk(children, child)


def numbers(children: Children) -> dict[int, str]:
    """``item id -> "1.2"``: each item's 1-based place among its siblings, joined by dots."""
    result: dict[int, str] = {}

    def visit(parent: int | None, prefix: str) -> None:
        for place, child in enumerate(children.get(parent, ()), start=1):
            result[child] = f"{prefix}{place}"
            visit(child, f"{prefix}{place}.")

    visit(None, "")
    return result


def depths(children: Children) -> dict[int, int]:
    """``item id -> depth``, 1 for top-level items."""
    return {item_id: label.count(".") + 1 for item_id, label in numbers(children).items()}


def descendants(children: Children, item_id: int) -> set[int]:
    return set(walk(children, item_id))


def height(children: Children, item_id: int) -> int:
    """Levels in the subtree rooted at ``item_id``: 1 for an item without sub-items."""
    return 1 + max((height(children, c) for c in children.get(item_id, ())), default=0)


def with_siblings(
    children: Children, parent: int | None, ids: tuple[int, ...]
) -> dict[int | None, tuple[int, ...]]:
    """A copy of ``children`` with ``parent``'s list replaced; empty lists are dropped so
    that two trees of the same shape compare equal however they were built."""
    result = dict(children)
    if ids:
        result[parent] = ids
    else:
        result.pop(parent, None)
    return result
