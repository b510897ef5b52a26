"""Minutes of a long meeting: from ``minutes.generate`` to final signed minutes.

A meeting of ``items`` agenda items and ``polls`` polls (the script of
``ecabinet.minutes.sample``: check-ins, an absentee with a proxy, two speakers per item,
notes, named and secret polls, decisions) is played through the real server by the demo
people's sockets. Then, ``repeats`` + 1 times (the first starts the minutes worker): the
clerk generates (``POST …/minutes``, answered once the draft is recorded), signs, and the
chair signs — timed from the request to the chair's answer. Each round after the first
is a correction of the previous final version, so every round does the same work.

Baseline from the same run, on the same machine: WeasyPrint alone rendering the same
HTML (the template filled from the record attached to the final file) to a plain PDF in
this process; and, in between, this process doing what the worker does for a draft
(``render.render``: PDF/A-3b, the record attached, the signature fields).
"""

from __future__ import annotations

import asyncio
import io
import json
import time
import uuid
from typing import Any

from bench.load import Progress
from bench.servers import Running
from bench.stats import summary
from ecabinet.minutes import render, sample
from ecabinet.minutes.record import RECORD_FILENAME
from harness.client import DEMO_ROSTER, RoomClient, api, connect, login, new_meeting, user_ids
from harness.server import DEMO_PASSWORD

RATE_LIMITED_PAUSE_SECS = 0.25  # a connection's command budget refills meanwhile
RATE_LIMITED_ATTEMPTS = 40
JOB_POLL_SECS = 0.1
MEMBERS = tuple(name for name, role in DEMO_ROSTER.items() if role == "member")


async def _send(client: RoomClient, type_: str, data: dict[str, Any]) -> dict[str, Any]:
    """One command; sent again with the same id while the server asks to slow down."""
    command_id = uuid.uuid4().hex
    for _ in range(RATE_LIMITED_ATTEMPTS):
        ack = await client.cmd(type_, data, id=command_id)
        if ack["ok"] or ack["error"]["code"] != "rate-limited":
            break
        await asyncio.sleep(RATE_LIMITED_PAUSE_SECS)
    return ack


async def _play(running: Running, meeting: int, items: int, polls: int) -> tuple[int, float]:
    """The meeting's script through the sockets of its people; (commands, seconds)."""
    admin = await login(running.url, "admin", DEMO_PASSWORD)
    ids = await user_ids(running.url, admin)
    names = {uid: name for name, uid in ids.items()}
    cast = sample.Cast(
        chair=ids["chair"],
        clerk=ids["clerk"],
        members=tuple(ids[m] for m in MEMBERS),
        others=(ids["observer"],),
    )
    clients: dict[int, RoomClient] = {}
    began = time.monotonic()
    count = 0
    try:
        for type_, user_id, data, _secs in sample.script(cast, items, polls):
            client = clients.get(user_id)
            if client is None:
                client = clients[user_id] = await connect(running.url, names[user_id])
                joined = await client.join(meeting)
                if not joined["ok"]:
                    raise RuntimeError(f"join: {joined}")
            ack = await _send(client, type_, data)
            if not ack["ok"]:
                raise RuntimeError(f"{type_} {data}: {ack}\n{running.log_tail()}")
            count += 1
    finally:
        for client in clients.values():
            await client.close()
    return count, time.monotonic() - began


async def _round(running: Running, meeting: int, tokens: dict[str, str]) -> dict[str, Any]:
    """Generate, the clerk signs, the chair signs; the time of each step."""
    base = f"/api/meetings/{meeting}/minutes"
    steps: dict[str, float] = {}
    began = time.monotonic()
    clerk_api, chair_api = api(running.url, tokens["clerk"]), api(running.url, tokens["chair"])
    async with clerk_api as clerk, chair_api as chair:
        clerk.timeout = chair.timeout = 300
        at = time.monotonic()
        generated = await clerk.post(base, json={"number": "05"})
        if generated.status_code != 201:
            raise RuntimeError(f"generate: {generated.status_code} {generated.text}")
        version = generated.json()["version"]
        steps["generate"] = time.monotonic() - at
        for who, client in (("clerk", clerk), ("chair", chair)):
            at = time.monotonic()
            signed = await client.post(f"{base}/{version}/sign", json={"secret": DEMO_PASSWORD})
            if signed.status_code != 200:
                raise RuntimeError(f"{who} signs: {signed.status_code} {signed.text}")
            steps[f"sign_{who}"] = time.monotonic() - at
        total = time.monotonic() - began
        final = await clerk.get(f"{base}/{version}/file")
    return {"version": version, "total": total, **steps, "pdf": final.content}


async def _job_round(running: Running, meeting: int, token: str) -> dict[str, float]:
    """One more generation as the tablet runs it (a job, polled): the server's time in
    each step — reading the log, drawing in the worker, storing and recording."""
    base = f"/api/meetings/{meeting}/minutes"
    async with api(running.url, token) as clerk:
        clerk.timeout = 300
        started = await clerk.post(base, json={}, headers={"Prefer": "respond-async"})
        if started.status_code != 202:
            raise RuntimeError(f"generate as a job: {started.status_code} {started.text}")
        job = started.json()["job"]
        while job["state"] == "running":
            await asyncio.sleep(JOB_POLL_SECS)
            job = (await clerk.get(started.headers["location"])).json()["job"]
    if job["state"] != "done":
        raise RuntimeError(f"generation job: {job}")
    steps: dict[str, float] = job["stage_secs"]
    return steps


def _timed(work: Any, *args: Any) -> float:
    at = time.monotonic()
    work(*args)
    return time.monotonic() - at


def _bare_weasyprint(html: str) -> None:
    from weasyprint import HTML

    HTML(string=html).write_pdf()


def _record_of(pdf: bytes) -> tuple[dict[str, Any], int]:
    """The record attached to a minutes file, and the file's pages."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    record: dict[str, Any] = json.loads(reader.attachments[RECORD_FILENAME][0])
    return record, len(reader.pages)


async def run(
    running: Running, *, items: int, polls: int, repeats: int, progress: Progress
) -> dict[str, Any]:
    """Rounds and baselines interleaved (round, then WeasyPrint on that round's HTML, then
    the draft in this process), so that both sides see the same load of a shared machine."""
    admin = await login(running.url, "admin", DEMO_PASSWORD)
    title = f"Phiên họp {items} nội dung, {polls} biểu quyết"
    meeting = await new_meeting(running.url, admin, title)
    progress.update(f"playing a meeting of {items} items and {polls} polls …", force=True)
    commands, fill_secs = await _play(running, meeting, items, polls)
    tokens = {name: await login(running.url, name) for name in ("clerk", "chair")}
    rounds, bare, draft = [], [], []
    pages, size, html = 0, 0, ""
    for number in range(repeats + 1):
        round_text = f"round {number + 1}/{repeats + 1}"
        progress.update(f"minutes: generate and sign, {round_text} …", force=True)
        result = await _round(running, meeting, tokens)
        pdf = result.pop("pdf")
        record, pages = _record_of(pdf)
        html = render.render_html(record)  # the HTML the server filled for this version
        size = len(pdf)
        progress.update(f"baselines, {round_text} …", force=True)
        bare.append(await asyncio.to_thread(_timed, _bare_weasyprint, html))
        draft.append(await asyncio.to_thread(_timed, render.render, record))
        result["bare"], result["draft"] = bare[-1], draft[-1]
        result["ratio"] = result["total"] / bare[-1]
        rounds.append(result)
    progress.update("one generation as a job, for the server's time per step …", force=True)
    stage_secs = await _job_round(running, meeting, tokens["clerk"])
    progress.done()
    warm = rounds[1:] or rounds
    return {
        "server": running.backend,
        "items": items,
        "polls": polls,
        "commands": commands,
        "fill_secs": fill_secs,
        "pages": pages,
        "bytes": size,
        "html_chars": len(html),
        "rounds": rounds,
        "cold_total": rounds[0]["total"],
        "total": summary([r["total"] for r in warm]),
        "generate": summary([r["generate"] for r in warm]),
        "sign_clerk": summary([r["sign_clerk"] for r in warm]),
        "sign_chair": summary([r["sign_chair"] for r in warm]),
        "bare_cold": bare[0],
        "bare": summary(bare[1:] or bare),
        "draft_in_process": summary(draft[1:] or draft),
        "ratio": summary([r["ratio"] for r in warm]),
        "job_stage_secs": stage_secs,
        # The least disturbed runs of each side: robust when other work shares the CPUs.
        "ratio_of_minimums": min(r["total"] for r in warm) / min(r["bare"] for r in warm),
    }
