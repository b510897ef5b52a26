"""Every command × every meeting role, from the command table: a role outside the table's
set gets ``not-allowed`` and writes nothing; a role inside it is never refused for its role."""

from __future__ import annotations

import pytest

from ecabinet.meetings.commands import COMMANDS
from ecabinet.meetings.rules import Role
from ecabinet.meetings.service import refusal_message
from harness.client import connect, new_meeting
from tests.integration.conftest import Running

pytestmark = pytest.mark.asyncio

USER_OF_ROLE = {
    Role.CHAIR: "chair",
    Role.CLERK: "clerk",
    Role.MEMBER: "member1",
    Role.OBSERVER: "observer",
}


SOCKET_COMMANDS = sorted(name for name, spec in COMMANDS.items() if not spec.internal)
INTERNAL_COMMANDS = sorted(name for name, spec in COMMANDS.items() if spec.internal)


@pytest.mark.parametrize("command", SOCKET_COMMANDS)
async def test_command_table_decides_who_may_send(
    running: Running, admin_token: str, command: str
) -> None:
    meeting = await new_meeting(running.url, admin_token)
    for role, username in USER_OF_ROLE.items():
        client = await connect(running.url, username)
        try:
            before = (await client.join(meeting))["seq"]
            ack = await client.cmd(command)
            after = (await client.join(meeting))["seq"]
        finally:
            await client.close()
        # The table's own refusal; a rule may still refuse an allowed role for other
        # reasons (e.g. only the presenter moves the view), with another message.
        role_refusal = {"code": "not-allowed", "message": refusal_message(role.value, command)}
        if role in COMMANDS[command].roles:
            assert ack["ok"] or ack["error"] != role_refusal, (command, role, ack)
        else:
            assert ack == {"ok": False, "error": role_refusal}
            assert after == before, (command, role)


async def test_people_outside_the_roster_cannot_join_or_command(
    running: Running, admin_token: str
) -> None:
    meeting = await new_meeting(running.url, admin_token)
    admin = await connect(running.url, "admin")  # an administrator is not a meeting role
    try:
        assert (await admin.join(meeting))["error"]["code"] == "not-found"
        for command in COMMANDS:
            assert (await admin.cmd(command))["error"]["code"] == "not-joined"
    finally:
        await admin.close()


async def test_internal_commands_are_unknown_over_the_socket_for_every_role(
    running: Running, admin_token: str
) -> None:
    """They are sent by the server for an HTTP request (an upload); see test_documents."""
    meeting = await new_meeting(running.url, admin_token)
    for username in USER_OF_ROLE.values():
        client = await connect(running.url, username)
        try:
            await client.join(meeting)
            for command in INTERNAL_COMMANDS:
                assert (await client.cmd(command))["error"]["code"] == "invalid"
        finally:
            await client.close()
