"""The pure rules split out of the agenda panel and the vote sheet, run by the tablet's own
modules in Chromium: where a dragged agenda item may land (frontend/js/agenda-drag.js
``moveFor``) and what a well-formed choice is on the vote sheet
(frontend/js/vote-choices.js). The browser loads the modules through a routed origin: no
server is started."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.e2e

JS = Path(__file__).resolve().parents[2] / "frontend" / "js"
ORIGIN = "http://frontend-rules.test"

# 1, 2 (with 2.1, which has 2.1.1: three levels, the most allowed), 3.
AGENDA = {
    "items": {
        str(i): {"id": i, "parent_id": parent, "title": f"item {i}", "visits": []}
        for i, parent in [(1, None), (2, None), (3, None), (4, 2), (5, 4)]
    },
    "children": {"root": [1, 2, 3], "2": [4], "4": [5]},
    "currentId": None,
}


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            route.fulfill(body="<!doctype html><title>rules</title>", content_type="text/html")
            return
        file = (JS / path.removeprefix("/js/")).resolve()
        if path.startswith("/js/") and file.is_relative_to(JS) and file.is_file():
            route.fulfill(body=file.read_bytes(), content_type="text/javascript")
            return
        route.fulfill(status=404, body="")

    context = browser.new_context()
    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    page.goto(f"{ORIGIN}/")
    yield page
    context.close()


def call(page: Page, module: str, function: str, *args: Any) -> Any:
    """``function(...args)`` of frontend/js/``module``, its answer back as JSON."""
    text = page.evaluate(
        """async ([module, name, args]) => {
            const m = await import(`/js/${module}`);
            return JSON.stringify(m[name](...args) ?? null);
        }""",
        [module, function, json.loads(json.dumps(args))],
    )
    return json.loads(text)


def move(page: Page, item: int, row: int, zone: str) -> Any:
    return call(page, "agenda-drag.js", "moveFor", AGENDA, item, {"rowId": row, "zone": zone})


def test_a_drop_before_or_after_a_row_moves_the_item_among_that_rows_siblings(
    page: Page,
) -> None:
    assert move(page, 3, 1, "before") == {"parent_id": None, "position": 0}
    # Counted without the item itself: 1 after 3 is position 2 of [2, 3].
    assert move(page, 1, 3, "after") == {"parent_id": None, "position": 2}
    assert move(page, 1, 4, "before") == {"parent_id": 2, "position": 0}


def test_a_drop_into_a_row_makes_the_item_its_last_sub_item_up_to_depth_3(page: Page) -> None:
    assert move(page, 3, 1, "into") == {"parent_id": 1, "position": 0}
    assert move(page, 3, 4, "into") == {"parent_id": 4, "position": 1}
    # Into 2.1.1 (depth 3) would make a fourth level.
    assert move(page, 3, 5, "into") is None
    # Item 2 is three levels deep itself: under item 1 it would reach depth 4.
    assert move(page, 2, 1, "into") is None


def test_an_item_never_lands_inside_its_own_sub_items(page: Page) -> None:
    assert move(page, 2, 5, "into") is None
    assert move(page, 2, 4, "after") is None


def test_a_choice_is_well_formed_only_within_the_polls_answers_and_counts(page: Page) -> None:
    yes_no = {"kind": "yes_no_abstain"}
    two_of_three = {
        "kind": "options",
        "options": ["A", "B", "C"],
        "min_choices": 2,
        "max_choices": 2,
    }
    valid = [
        call(page, "vote-choices.js", "isValidChoice", poll, choice)
        for poll, choice in [
            (yes_no, "yes"),
            (yes_no, "abstain"),
            (yes_no, "maybe"),
            (yes_no, None),
            (two_of_three, [0]),
            (two_of_three, [0, 2]),
            (two_of_three, []),  # a blank ballot
            (two_of_three, [0, 1, 2]),
        ]
    ]
    assert valid == [True, True, False, False, False, True, True, False]


def test_tapping_an_option_toggles_it_up_to_max_choices_and_swaps_in_a_one_answer_poll(
    page: Page,
) -> None:
    two = {"kind": "options", "options": ["A", "B", "C"], "max_choices": 2}
    one = {"kind": "options", "options": ["A", "B", "C"]}
    taps = [
        call(page, "vote-choices.js", "toggledChoice", poll, choice, index)
        for poll, choice, index in [
            (two, None, 2),
            (two, [2], 0),
            (two, [0, 2], 1),  # full: the third is not added
            (two, [0, 2], 0),
            (one, [0], 1),
            (one, [1], 1),
        ]
    ]
    assert taps == [[2], [0, 2], [0, 2], [2], [1], []]
