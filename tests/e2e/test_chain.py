"""Every tablet verifies what it applies: the hash chain recomputed in Chromium.

The page's own modules do the work (frontend/js/jcs.js, legacy-canonical.js,
chain-verifier.js): JSON.parse, the canonical form of the meeting's hash rule and
WebCrypto's SHA-256, compared with the hashes the server wrote.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from harness.server import DEMO_PASSWORD
from tests.e2e.conftest import LANDSCAPE, NewContext, as_user, open_room, sign_in

MODULES = "/static/js"
ORIGINAL = "MARK-ORIGINAL"
FORGED = "MARK-FORGED!!"
# What the tablet announces, vi (the default language): "…đã kiểm chứng đến #N".
VERIFIED_TO = re.compile(r"kiểm chứng đến #(\d+)$")


def _evaluate(page: Page, script: str, arg: Any = None) -> Any:
    """Run `script` (the body of an async function of `modules` and `arg`) in the page,
    with the chain modules imported as the tablet imports them."""
    return page.evaluate(
        f"""async (arg) => {{
            const jcs = await import("{MODULES}/jcs.js");
            const legacy = await import("{MODULES}/legacy-canonical.js");
            const chain = await import("{MODULES}/chain-verifier.js");
            const modules = {{ ...jcs, ...legacy, ...chain }};
            {script}
        }}""",
        arg,
    )


@pytest.fixture
def page(new_context: NewContext) -> Page:
    page = new_context().new_page()
    page.goto("/")
    return page


# --- JCS: RFC 8785's own examples --------------------------------------------------------

# RFC 8785 appendix B: IEEE 754 bits → the JCS text.
RFC8785_NUMBERS = {
    "0000000000000000": "0",
    "8000000000000000": "0",
    "0000000000000001": "5e-324",
    "8000000000000001": "-5e-324",
    "7fefffffffffffff": "1.7976931348623157e+308",
    "ffefffffffffffff": "-1.7976931348623157e+308",
    "4340000000000000": "9007199254740992",
    "c340000000000000": "-9007199254740992",
    "4430000000000000": "295147905179352830000",
    "44b52d02c7e14af5": "9.999999999999997e+22",
    "44b52d02c7e14af6": "1e+23",
    "44b52d02c7e14af7": "1.0000000000000001e+23",
    "444b1ae4d6e2ef4e": "999999999999999700000",
    "444b1ae4d6e2ef4f": "999999999999999900000",
    "444b1ae4d6e2ef50": "1e+21",
    "3eb0c6f7a0b5ed8c": "9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d": "0.000001",
    "41b3de4355555553": "333333333.3333332",
    "41b3de4355555554": "333333333.33333325",
    "41b3de4355555555": "333333333.3333333",
    "41b3de4355555556": "333333333.3333334",
    "41b3de4355555557": "333333333.33333343",
    "becbf647612f3696": "-0.0000033333333333333333",
    "43143ff3c1cb0959": "1424953923781206.2",
}

# RFC 8785 §3.2.2 (strings, numbers, literals) and §3.2.3 (member order by UTF-16 units).
RFC8785_TEXTS = [
    (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}',
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    ),
    (
        '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet'
        ' With Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080":'
        ' "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O'
        ' With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter'
        ' Dalet With Dagesh"}',
    ),
]


def test_jcs_writes_the_examples_of_rfc_8785(page: Page) -> None:
    numbers = _evaluate(
        page,
        """const view = new DataView(new ArrayBuffer(8));
        const out = {};
        for (const bits of arg) {
            view.setBigUint64(0, BigInt("0x" + bits));
            out[bits] = modules.canonicalize(view.getFloat64(0));
        }
        return out;""",
        list(RFC8785_NUMBERS),
    )
    assert numbers == RFC8785_NUMBERS
    texts = _evaluate(
        page,
        "return arg.map((text) => modules.canonicalize(JSON.parse(text)));",
        [source for source, _ in RFC8785_TEXTS],
    )
    assert texts == [expected for _, expected in RFC8785_TEXTS]
    refused = _evaluate(
        page,
        """return [NaN, Infinity, undefined].map((value) => {
            try { modules.canonicalize([value]); return "written"; } catch { return "refused"; }
        });""",
    )
    assert refused == ["refused"] * 3


def test_the_legacy_form_is_what_python_json_dumps_writes(page: Page) -> None:
    """Rule 1: floats as Python's repr writes them; whole floats only where asked."""
    floats = [0.5, 0.1, -2.25, 1e-4, 1e-5, 1.5e-7, 123456789.125, 1e15, 1e16, 1.5e300, -0.0]
    value = {"ă": [1, 2.5, {"é": 'Biên bản \n\t"họp" \u0001'}], "a": None, "b": True}
    out = _evaluate(
        page,
        """return {
            floats: arg.floats.map((x) => modules.pythonFloat(x)),
            value: modules.canonicalizeLegacy(JSON.parse(arg.value)),
            whole: modules.canonicalizeLegacy([3, 2.5], { wholeAsFloat: true }),
        };""",
        {"floats": floats, "value": json.dumps(value)},
    )
    assert out["floats"] == [repr(x) for x in floats]
    dumped = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert out["value"] == dumped
    assert out["whole"] == "[3.0,2.5]"


def _worked_example() -> list[dict[str, Any]]:
    """The events and hashes of the worked example in docs/protocol.md."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text("utf-8")
    block = text.split("<!-- hash-example:", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    examples: list[dict[str, Any]] = []
    for line in block.splitlines():
        name, _, value = line.partition(":")
        if name == "event":
            examples.append({"event": json.loads(value)})
        elif name.endswith(" hash"):  # "rule 2 hash" → examples[-1]["rule2"]
            examples[-1]["".join(name.split()[:2])] = value.strip()
    return examples


def test_the_worked_example_of_the_protocol_is_recomputed(page: Page) -> None:
    """Rule 2 reproduces every hash; rule 1 the float-free event, and calls the one with
    whole-number floats mixed with integers unverifiable rather than a mismatch."""
    examples = _worked_example()
    assert len(examples) == 2
    out = _evaluate(
        page,
        """const outcomes = {};
        for (const rule of [1, 2]) {
            let prev = modules.GENESIS_HASH;
            outcomes[rule] = [];
            for (const example of arg) {
                const event = { ...example.event, hash: example["rule" + rule] };
                const computed = await modules.chainHash(prev, modules.eventText(event, rule));
                const outcome = await modules.checkEvent(event, prev, rule);
                outcomes[rule].push({ computed, outcome });
                prev = event.hash;
            }
        }
        return outcomes;""",
        [{"event": e["event"], "rule1": e["rule1"], "rule2": e["rule2"]} for e in examples],
    )
    assert [o["computed"] for o in out["2"]] == [e["rule2"] for e in examples]
    assert [o["outcome"] for o in out["2"]] == ["verified", "verified"]
    assert out["1"][1]["computed"] == examples[1]["rule1"]
    assert [o["outcome"] for o in out["1"]] == ["unverifiable", "verified"]


def test_the_verifier_links_through_redacted_events_and_stops_at_a_mismatch(
    page: Page,
) -> None:
    out = _evaluate(
        page,
        """const events = [];
        let prev = modules.GENESIS_HASH;
        for (let seq = 1; seq <= 5; seq += 1) {
            const event = { seq, type: "minutes.note_set", actor_id: 2,
                at: "2026-12-01T01:02:03.456Z", data: { text: `Ghi chú ${seq}`, n: 1.5 } };
            event.hash = await modules.chainHash(prev, modules.eventText(event, 2));
            prev = event.hash;
            events.push(event);
        }
        // Event 2 as another person receives it; event 4 altered on the way.
        events[1] = { ...events[1], type: "redacted", actor_id: null, data: {} };
        events[3] = { ...events[3], data: { text: "Ghi chú giả", n: 1.5 } };
        const statuses = [], mismatches = [];
        const verifier = new modules.ChainVerifier({
            onStatus: (s) => statuses.push(s), onMismatch: (m) => mismatches.push(m) });
        verifier.reset({ seq: 0, headHash: null, rule: 2 });
        for (const event of events.slice(0, 3)) verifier.push(event);
        await verifier.settled();
        const before = verifier.status();
        for (const event of events.slice(3)) verifier.push(event);
        await verifier.settled();
        return { before, after: verifier.status(), mismatches, forged: events[3].hash };""",
    )
    assert out["before"] == {"state": "verified", "seq": 3, "unverifiable": 1, "mismatch": None}
    assert len(out["mismatches"]) == 1
    mismatch = out["mismatches"][0]
    assert mismatch["seq"] == 4 and mismatch["expected"] == out["forged"]
    assert mismatch["computed"] != out["forged"]
    assert out["after"] == {"state": "mismatch", "seq": 3, "unverifiable": 1, "mismatch": mismatch}


# --- the room --------------------------------------------------------------------------

SCENE: list[tuple[str, dict[str, Any]]] = [
    ("meeting.start", {}),
    ("attendance.check_in", {}),
    (
        "agenda.item.add",
        {
            "title": f"Báo cáo tình hình kinh tế – xã hội quý IV {ORIGINAL}",
            "kind": "information",
            "description": "Đồng chí Giám đốc Sở Kế hoạch và Đầu tư trình bày; “ý kiến” góp ý.",
            "planned_minutes": 20,
        },
    ),
    (
        "poll.create",
        {
            "title": "Chọn phương án đầu tư hạ tầng số",
            "kind": "options",
            "options": ["Phương án A: trung tâm dữ liệu", "Phương án B: thuê dịch vụ đám mây"],
            "min_choices": 1,
            "max_choices": 1,
            "secret": False,
            "allow_change": False,
        },
    ),
    ("minutes.note.set", {"text": "Ghi chú chung: họp đủ thành phần.\nKết luận ở mục 1."}),
]


def _scene(base_url: str, meeting: int) -> list[dict[str, Any]]:
    return as_user(base_url, "chair", meeting, SCENE)


def _events(base_url: str, meeting: int) -> tuple[str, int]:
    """The meeting's events as the chair's JSON text, and the meeting's hash rule."""
    with httpx.Client(base_url=base_url, timeout=15) as http:
        http.post("/api/login", json={"username": "chair", "password": DEMO_PASSWORD})
        rule = http.get(f"/api/meetings/{meeting}").json()["meeting"].get("hash_rule", 1)
        return http.get(f"/api/meetings/{meeting}/events").text, int(rule)


def test_the_browser_recomputes_the_servers_chain(
    page: Page, base_url: str, fresh_meeting: Callable[..., int]
) -> None:
    meeting = fresh_meeting("Phiên họp kiểm chứng chuỗi băm – Sở Thông tin và Truyền thông")
    _scene(base_url, meeting)
    text, rule = _events(base_url, meeting)
    out = _evaluate(
        page,
        """const events = JSON.parse(arg.text).events;
        let prev = modules.GENESIS_HASH;
        const rows = [];
        for (const event of events) {
            const computed = await modules.chainHash(prev, modules.eventText(event, arg.rule));
            rows.push({ seq: event.seq, type: event.type, computed, hash: event.hash });
            prev = event.hash;
        }
        return rows;""",
        {"text": text, "rule": rule},
    )
    types = {row["type"] for row in out}
    assert {"agenda.item_added", "poll.created", "minutes.note_set"} <= types, types
    assert [row["seq"] for row in out] == list(range(1, len(out) + 1))
    assert [row["computed"] for row in out] == [row["hash"] for row in out], rule


def _verified_to(page: Page) -> int:
    status = page.get_by_test_id("chain-status")
    expect(status).to_have_text(VERIFIED_TO)
    match = VERIFIED_TO.search(status.inner_text())
    assert match is not None
    return int(match.group(1))


def test_the_header_says_how_far_the_record_is_verified(
    new_context: NewContext, base_url: str, fresh_meeting: Callable[..., int], artifacts: Any
) -> None:
    meeting = fresh_meeting()
    first_item = ("agenda.item.add", {"title": "Mục 1", "kind": "information"})
    as_user(base_url, "clerk", meeting, [first_item])
    member = sign_in(new_context(viewport={"width": 1024, "height": 768}), "member1")
    open_room(member, meeting)
    status = member.get_by_test_id("chain-status")
    expect(status).to_have_text(VERIFIED_TO)
    expect(status).to_have_attribute("data-seq", "1")  # the snapshot's head

    acks = _scene(base_url, meeting)
    last = max(ack["seq"] for ack in acks if "seq" in ack)
    expect(status).to_have_attribute("data-seq", str(last))
    expect(status).to_have_attribute("data-state", "verified")
    # Linked to the snapshot's head_hash: every event recomputed, none taken on trust.
    expect(status).to_have_attribute("data-unverifiable", "0")
    assert _verified_to(member) == last
    expect(member.get_by_test_id("chain-alert")).to_be_hidden()
    member.locator(".room-header").screenshot(path=str(artifacts / "chain-header-1024x768.png"))


def _mismatch_reports(base_url: str) -> float:
    metrics = httpx.get(f"{base_url}/metrics", timeout=15).text
    found = re.search(r"^ecabinet_chain_mismatch_reports_total (\S+)$", metrics, re.MULTILINE)
    assert found is not None, "the counter is missing from /metrics"
    return float(found.group(1))


def test_a_forged_event_raises_the_alarm_and_is_reported(
    new_context: NewContext, base_url: str, fresh_meeting: Callable[..., int], artifacts: Any
) -> None:
    """A frame altered between the server and the tablet (Playwright stands in the middle
    of the websocket): the tablet applies it, finds that it does not hash to its `hash`,
    says so loudly and tells the server."""
    meeting = fresh_meeting()
    context = new_context(viewport=LANDSCAPE)
    forged: list[str] = []

    def middle(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if isinstance(message, str) and ORIGINAL in message:
                message = message.replace(ORIGINAL, FORGED)
                forged.append(message)
            ws.send(message)

        server.on_message(from_server)
        ws.on_message(lambda message: server.send(message))

    # Before any page: the routing is set up when a document is created.
    context.route_web_socket(re.compile(r"/socket\.io/"), middle)
    member = sign_in(context, "member1")
    open_room(member, meeting)
    before = _mismatch_reports(base_url)
    reports: list[dict[str, Any]] = []
    member.on(
        "request",
        lambda r: reports.append(r.post_data_json) if "/integrity-reports" in r.url else None,
    )

    acks = _scene(base_url, meeting)
    alert = member.get_by_test_id("chain-alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("không khớp")
    expect(alert).to_contain_text("Đã báo cho máy chủ.")
    expect(member.get_by_test_id("chain-status")).to_be_hidden()
    # The forged title is on screen: the check does not hold back what the link applied.
    expect(member.get_by_text(FORGED).first).to_be_visible()

    assert len(forged) == 1, "exactly one frame is altered"
    item_seq = acks[[type_ for type_, _ in SCENE].index("agenda.item.add")]["seq"]
    assert len(reports) == 1 and reports[0]["seq"] == item_seq, reports
    assert reports[0]["expected"] != reports[0]["computed"]
    assert _mismatch_reports(base_url) == before + 1
    member.locator(".room-header").screenshot(path=str(artifacts / "chain-alert.png"))


def test_the_report_endpoint_refuses_what_is_not_a_report(
    base_url: str, fresh_meeting: Callable[..., int]
) -> None:
    meeting = fresh_meeting()
    good = {"seq": 1, "expected": "a" * 64, "computed": "b" * 64}
    with httpx.Client(base_url=base_url, timeout=15) as http:
        http.post("/api/login", json={"username": "member2", "password": DEMO_PASSWORD})
        path = f"/api/meetings/{meeting}/integrity-reports"
        for bad in (
            {**good, "seq": 0},
            {**good, "expected": "A" * 64},
            {**good, "computed": "b" * 63},
            {**good, "note": "x"},
            {"seq": 1},
        ):
            answer = http.post(path, json=bad)
            assert answer.status_code == 400, (bad, answer.text)
        before = _mismatch_reports(base_url)
        answers = [http.post(path, json=good).status_code for _ in range(4)]
        assert answers == [204, 204, 204, 429]
        assert _mismatch_reports(base_url) == before + 3


# --- cost --------------------------------------------------------------------------------

EVENTS_MEASURED = 1000
CPU_SLOWDOWN = 4


def test_cost_per_event_on_a_throttled_cpu(page: Page) -> None:
    """Prints the time the verifier takes per event, 1 000 events pushed at once, on a
    Chromium whose CPU is slowed 4× (docs/performance.md). Measures; asserts no timing."""
    session = page.context.new_cdp_session(page)
    figures: dict[int, tuple[float, float]] = {}
    for rule in (1, 2):
        # The events are built (and chained) at full speed, then checked throttled.
        page.evaluate(
            """async ({ count, rule }) => {
                const chain = await import("/static/js/chain-verifier.js");
                let prev = chain.GENESIS_HASH;
                window.__events = [];
                for (let seq = 1; seq <= count; seq += 1) {
                    const event = {
                        meeting_id: 1, seq, type: "agenda.item_added", actor_id: 3,
                        at: "2026-12-01T01:02:03.456Z",
                        data: { item: { id: seq, title: `Mục ${seq}: Báo cáo tình hình quý IV`,
                            kind: "report", planned_minutes: 20, document_ids: [1, 2],
                            description: "Sở Kế hoạch và Đầu tư trình bày." } },
                    };
                    event.hash = await chain.chainHash(prev, chain.eventText(event, rule));
                    prev = event.hash;
                    window.__events.push(event);
                }
            }""",
            {"count": EVENTS_MEASURED, "rule": rule},
        )
        session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        out = page.evaluate(
            """async (rule) => {
                const chain = await import("/static/js/chain-verifier.js");
                let status = null;
                const verifier = new chain.ChainVerifier({ onStatus: (s) => (status = s) });
                verifier.reset({ seq: 0, headHash: null, rule });
                const start = performance.now();
                for (const event of window.__events) verifier.push(event);
                await verifier.settled();
                const ms = performance.now() - start;
                // Baseline: WebCrypto alone over the same bytes, one digest after another.
                const texts = window.__events.map((event) => chain.eventText(event, rule));
                const bare = performance.now();
                for (const text of texts) await chain.chainHash(chain.GENESIS_HASH, text);
                return { ms, bareMs: performance.now() - bare, status };
            }""",
            rule,
        )
        session.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        assert out["status"]["state"] == "verified", out
        assert out["status"]["seq"] == EVENTS_MEASURED and out["status"]["unverifiable"] == 0
        figures[rule] = (out["ms"], out["bareMs"])
    for rule, (ms, bare_ms) in figures.items():
        print(
            f"\nchain check, rule {rule}, CPU {CPU_SLOWDOWN}× slowed: {EVENTS_MEASURED} events"
            f" in {ms:.0f} ms, {ms / EVENTS_MEASURED * 1000:.0f} µs per event; bare SHA-256"
            f" of the same bytes {bare_ms / EVENTS_MEASURED * 1000:.0f} µs per event"
        )
