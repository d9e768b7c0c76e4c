"""Issue 9, reliability half: failed confirmations, Ask a human, start-up token checks, a way to
a human from every card, admin forms refused before they open, /reset-password, Slack limits."""

from __future__ import annotations

import json

from handlers import ids
from tests.e2e.conftest import TOM
from tests.e2e.helpers import text_of, view
from tests.slack_fakes import Failure, view_submission

SLACK_ERROR = Failure(status=200, body={"ok": False, "error": "channel_not_found"})
SERVER_ERROR = Failure(status=500, body={"ok": False, "error": "internal_error"})


def apologies(server) -> list[str]:
    return [text_of(c) for c in server.slack.calls if "Sorry, something went wrong" in text_of(c)]


def test_b4_a_failed_confirmation_of_a_form_is_logged_and_the_target_is_told(server):
    server.command("/reinvite", "<@UTOM|tom>", "UMARIA")
    modal = view(server.slack.wait_for("views.open")[0])
    server.slack.fail("chat.postEphemeral", SLACK_ERROR)
    server.slack.fail("chat.postMessage", SLACK_ERROR)  # the DM fallback to the manager
    server.interact(view_submission("UMARIA", modal, {}))
    told = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")
    assert "invitation" in text_of(told[0])
    assert apologies(server) == []
    assert server.probe.done() == ["reinvite"]
    assert server.probe.user(TOM).invitation.startswith("mobile invitation pending")


def test_b4_a_failed_confirmation_of_a_command_is_logged_and_the_target_is_told(server):
    lost = Failure(disconnect=True)
    server.slack.fail("response/r1", lost, lost, lost, lost)
    server.command("/reinvite", "<@UTOM|tom> mobile", "UMARIA")
    told = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")
    assert "invitation" in text_of(told[0])
    assert apologies(server) == []
    assert server.probe.done() == ["reinvite"]
