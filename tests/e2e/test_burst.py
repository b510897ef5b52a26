"""A burst of votes on a member's tablet: the room applies every ballot, draws at most once
per animation frame (not once per event), stays connected and shows the right result.

Eight people change their vote in a named poll that allows it, as fast as the server takes
it: ``BALLOTS`` ``vote.cast`` events reach the watching tablet within a second or two. How
fast the tablet stays is measured in bench/tablet_burst.py, not asserted here."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from harness.client import connect
from tests.e2e.conftest import NewContext, as_user, open_room, sign_in, user_ids

pytestmark = pytest.mark.e2e

VOTERS = ("chair", *(f"member{i}" for i in range(1, 8)))  # member8 watches
CHANGES = 25  # votes per voter: 8 × 25 = 200 events
BALLOTS = len(VOTERS) * CHANGES
CHOICES = ("yes", "no", "abstain")
LABELS = {"yes": "Tán thành", "no": "Không tán thành", "abstain": "Không biểu quyết"}

# In the page: frames drawn, and every state the connection indicator took.
WATCH_JS = """
() => {
  window.__frames = 0;
  (function frame() { window.__frames += 1; requestAnimationFrame(frame); })();
  window.__connectionStates = []; // every write of the attribute, unchanged ones too
  const indicator = document.querySelector('[data-testid="connection"]');
  new MutationObserver(() => window.__connectionStates.push(indicator.dataset.state))
    .observe(indicator, { attributes: true, attributeFilter: ["data-state"] });
}
"""


def choice_of(voter: int, change: int) -> str:
    return CHOICES[(voter + change) % len(CHOICES)]


def burst(base_url: str, meeting: int, poll_id: int) -> None:
    """Every voter casts ``CHANGES`` votes one after another, all voters at once."""

    async def one(index: int, username: str) -> None:
        client = await connect(base_url, username)
        try:
            assert (await client.join(meeting))["ok"]
            for change in range(CHANGES):
                data = {"poll_id": poll_id, "choice": choice_of(index, change)}
                ack = await client.cmd("vote.cast", data)
                assert ack["ok"], ack
        finally:
            await client.close()

    async def everyone() -> None:
        await asyncio.gather(*(one(i, name) for i, name in enumerate(VOTERS)))

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, everyone()).result()


def test_a_burst_of_votes_is_drawn_once_per_frame_with_the_right_result(
    new_context: NewContext, fresh_meeting: Callable[..., int], base_url: str
) -> None:
    meeting = fresh_meeting("Họp biểu quyết dồn dập")
    ids = user_ids(base_url)
    present = [*VOTERS[1:], "member8"]
    acks = as_user(
        base_url,
        "chair",
        meeting,
        [
            ("meeting.start", {}),
            ("attendance.check_in", {}),
            *[("attendance.check_in", {"user_id": ids[name]}) for name in present],
            (
                "poll.create",
                {
                    "title": "Thông qua nghị quyết",
                    "kind": "yes_no_abstain",
                    "secret": False,
                    "allow_change": True,
                    "majority": "simple",
                    "quorum": {"kind": "none"},
                },
            ),
        ],
    )
    tablet = sign_in(new_context(), "member8")
    open_room(tablet, meeting)
    poll = tablet.locator("[data-testid=poll][data-status=draft]")
    expect(poll).to_have_count(1)
    poll_id = int(poll.get_attribute("data-poll-id") or "0")
    assert acks[-1]["ok"] and poll_id > 0
    as_user(base_url, "chair", meeting, [("poll.open", {"poll_id": poll_id})])
    expect(tablet.locator("[data-testid=poll][data-status=open]")).to_have_count(1)

    tablet.evaluate(WATCH_JS)
    renders_before = tablet.evaluate("window.__renders")
    burst(base_url, meeting, poll_id)
    participation = tablet.get_by_test_id("poll-participation")
    expect(participation).to_contain_text(f"{len(VOTERS)}/{len(VOTERS) + 1}")
    renders = tablet.evaluate("window.__renders") - renders_before
    frames = tablet.evaluate("window.__frames")
    assert renders <= frames, (renders, frames)
    assert renders < BALLOTS, (renders, BALLOTS)

    as_user(base_url, "chair", meeting, [("poll.close", {"poll_id": poll_id})])
    closed = tablet.locator("[data-testid=poll][data-status=closed]")
    finals = [choice_of(i, CHANGES - 1) for i in range(len(VOTERS))]
    counts = {choice: finals.count(choice) for choice in CHOICES}
    expect(closed.get_by_test_id("poll-numbers")).to_have_text(
        f"{LABELS['yes']} {counts['yes']} · {LABELS['no']} {counts['no']} · "
        f"{LABELS['abstain']} {counts['abstain']} · Không tham gia biểu quyết 1"
    )
    expect(tablet.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    states = tablet.evaluate("window.__connectionStates")
    assert set(states) <= {"live"}, states  # redrawn with the same state, never another
