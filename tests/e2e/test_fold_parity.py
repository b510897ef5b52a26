"""One fold, two languages: the tablet's fold (frontend/js/meeting-state.js and the
agenda, voting, minutes and annotation folds it calls) equals the server's
(ecabinet/meetings/rules.py ``fold``) on every stream the state machines of
tests/fold_streams.py make.

For each stream, each viewer (the chair, the clerk, a member) and split points n, the
server folds events 1..n into a snapshot (its ``join`` answer's ``state`` for that
viewer), the tablet reads it with ``fromSnapshot`` and folds the rest of the events as
that viewer receives them (another person's private mark ``redacted``); the tablet's
state, projected onto the snapshot form by tests/e2e/fold_projection.js (which says what
it leaves out), must equal the server's snapshot after the last event.

The browser loads the modules from the frontend directory through a routed origin: no
server is started. One page folds every case in one call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

from ecabinet.events import Event
from ecabinet.meetings.rules import MeetingState, fold
from tests.fold_streams import SCHEDULED_AT, VIEWERS, Stream, as_received, streams

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://fold-parity.test"
FILES = {
    "/js/": ROOT / "frontend" / "js",
    "/parity/": ROOT / "tests" / "e2e",
}
MISMATCHES_SHOWN = 3
# A meeting's row as a snapshot gives it, before the back office changes it.
MEETING = {
    "id": 1,
    "title": "Phiên họp thường kỳ",
    "location": "Phòng họp số 2",
    "scheduled_at": SCHEDULED_AT,
    "published": False,
    "cancel_reason": None,
}


def server_snapshot(state: MeetingState, viewer: int) -> dict[str, Any]:
    """The server's snapshot ``state`` for ``viewer``, as JSON gives it to a tablet, with
    the annotations' JSON text parsed and the voting setting that no event carries
    (``max_proxies_per_holder``, the server's configuration) left out."""
    wire: dict[str, Any] = json.loads(json.dumps(state.to_wire(viewer)))
    wire["annotations"] = json.loads(wire["annotations"])
    del wire["voting"]["max_proxies_per_holder"]
    return wire


def meeting_and_roster(
    stream: Stream, events: list[Event], state: MeetingState
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The snapshot's ``meeting`` (the fields the tablet folds) and ``roster`` after
    ``events``: the back office writes the meeting's row and roster with each of its
    events (ecabinet/meetings/planning.py), and a snapshot reads them from there."""
    meeting: dict[str, Any] = dict(MEETING)
    roster = stream["roster"]
    for event in events:
        if event.type == "meeting.rescheduled":
            meeting.update(event.data)
        elif event.type == "meeting.cancelled":
            meeting["cancel_reason"] = event.data["reason"]
        elif event.type == "meeting.published":
            meeting["published"] = True
        elif event.type == "roster.changed":
            roster = event.data["roster"]
    meeting |= {"status": state.status.value, "last_seq": state.seq}
    return meeting, roster


def cases(stream: Stream) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    """(case for the browser, expected snapshot, label) at a few split points per viewer."""
    events = [Event(**e) for e in stream["events"]]
    final = fold(MeetingState(), events)
    meeting, roster = meeting_and_roster(stream, events, final)
    splits = sorted({0, len(events) // 2, len(events)})
    for n in splits:
        at_n = fold(MeetingState(), events[:n])
        meeting_n, roster_n = meeting_and_roster(stream, events[:n], at_n)
        for viewer in VIEWERS:
            snapshot = {
                "meeting": meeting_n,
                "roster": roster_n,
                "state": json.loads(json.dumps(at_n.to_wire(viewer))),
            }
            case = {
                "snapshot": snapshot,
                "events": [as_received(e, viewer) for e in events[n:]],
                "viewer": viewer,
            }
            want = {"meeting": meeting, "roster": roster, "state": server_snapshot(final, viewer)}
            label = f"{stream['source']} stream, snapshot at {n} of {len(events)}, viewer {viewer}"
            yield case, want, label


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    """A page on a routed origin that serves the frontend's modules, the projection and
    the cases (``/cases.json``, set by ``fold_in_browser``)."""

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/":
            route.fulfill(body="<!doctype html><title>parity</title>", content_type="text/html")
            return
        if path == "/cases.json":
            route.fulfill(body=served["cases"], content_type="application/json")
            return
        for prefix, folder in FILES.items():
            if path.startswith(prefix):
                file = (folder / path.removeprefix(prefix)).resolve()
                if file.is_relative_to(folder) and file.is_file():
                    route.fulfill(body=file.read_bytes(), content_type="text/javascript")
                    return
        route.fulfill(status=404, body="")

    served: dict[str, str] = {}
    context = browser.new_context()
    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    page.goto(f"{ORIGIN}/")
    page.served = served  # type: ignore[attr-defined]
    yield page
    context.close()


def fold_in_browser(page: Page, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case folded by the tablet's modules; the cases and the results travel as JSON
    text (megabytes: Playwright's own serialization of objects is far slower)."""
    page.served["cases"] = json.dumps(batch)  # type: ignore[attr-defined]
    text = page.evaluate(
        """async () => {
            const m = await import("/parity/fold_projection.js");
            const cases = await (await fetch("/cases.json")).json();
            return JSON.stringify(m.foldAll(cases));
        }"""
    )
    results: list[dict[str, Any]] = json.loads(text)
    return results


def first_difference(got: Any, want: Any, path: str = "snapshot") -> str:
    """Where two JSON values first differ, for the failure message."""
    if isinstance(got, dict) and isinstance(want, dict):
        for key in sorted(set(got) | set(want)):
            if key not in got:
                return f"{path}.{key}: missing on the tablet (server: {want[key]!r})"
            if key not in want:
                return f"{path}.{key}: only on the tablet ({got[key]!r})"
            if got[key] != want[key]:
                return first_difference(got[key], want[key], f"{path}.{key}")
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for index, (g, w) in enumerate(zip(got, want, strict=True)):
            if g != w:
                return first_difference(g, w, f"{path}[{index}]")
    return f"{path}: tablet {got!r}, server {want!r}"


def test_the_tablets_fold_equals_the_servers_on_every_generated_stream(
    page: Page, tmp_path: Path
) -> None:
    generated = streams()
    (tmp_path / "streams.json").write_text(json.dumps(generated))  # kept for a failed run
    batch, expected, labels = [], [], []
    for index, stream in enumerate(generated):
        for case, want, label in cases(stream):
            batch.append(case)
            expected.append(want)
            labels.append(f"stream {index} ({label})")
    assert len(generated) >= 200 and len(batch) >= 1000

    results = fold_in_browser(page, batch)

    failures = []
    for result, want, label, case in zip(results, expected, labels, batch, strict=True):
        if "error" in result:
            failures.append(f"{label}: the tablet's fold threw {result['error']}")
        elif result["snapshot"] != want:
            where = first_difference(result["snapshot"], want)
            types = sorted({e["type"] for e in case["events"]})
            failures.append(f"{label}: {where}\n  events folded: {types}")
    shown = "\n".join(failures[:MISMATCHES_SHOWN])
    saved = tmp_path / "streams.json"
    assert not failures, f"{len(failures)} of {len(batch)} cases differ ({saved}):\n{shown}"
