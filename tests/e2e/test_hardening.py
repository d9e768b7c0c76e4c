"""Issue 9, reliability half: failed confirmations, Ask a human, start-up token checks, a way to
a human from every card, admin forms refused before they open, /reset-password, Slack limits."""

from __future__ import annotations

from handlers import ids
from tests.e2e.conftest import SUPPORT, TOM
from tests.e2e.helpers import blocks, find_element, text_of, view
from tests.slack_fakes import Failure, block_action, dm_event, view_submission

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


def fallback_button(server, question: str = "What is the weather in Paris?", ts="1700000000.3"):
    """Ask something helpbot can't answer in a DM; the Ask a human button of its reply."""
    server.event(dm_event("UTOM", question, ts=ts))
    [post] = server.slack.wait_for("chat.postMessage")
    return find_element(blocks(post), ids.ASK_HUMAN)


def press(server, button: dict, name: str = "human", user: str = "UTOM") -> None:
    click = block_action(
        user, {**button, "type": "button"}, response_url=server.slack.response_url(name)
    )
    assert server.interact(click).status == 200


def support_posts(server):
    return [c for c in server.slack.of("chat.postMessage") if c.args["channel"] == SUPPORT]


def test_b5_ask_a_human_that_fails_to_post_says_so_and_can_be_pressed_again(server):
    button = fallback_button(server)
    server.slack.fail("chat.postMessage", SLACK_ERROR)
    press(server, button)
    [failed] = server.slack.wait_for("response/human")
    assert "not passed on" in failed.args["text"]  # the truth, not the generic apology
    assert failed.args.get("replace_original") is not True  # the button stays to press again
    press(server, button)
    server.slack.wait_for("response/human", 2)
    _refused, support = support_posts(server)  # the fake records the refused call too
    assert "Paris" in text_of(support)
    assert "passed your question" in server.slack.of("response/human")[1].args["text"]


def test_b6_an_auth_test_failure_answers_the_event_with_a_5xx_so_slack_retries_it(server):
    server.slack.fail("auth.test", SERVER_ERROR)
    event = dm_event("UTOM", "I forgot my password")
    first = server.event(event, event_id="Ev0AUTHFAIL")
    assert first.status >= 500  # Slack delivers the event again
    assert "installation" not in first.body
    assert server.event(event, event_id="Ev0AUTHFAIL", retry=1).status == 200
    [post] = server.slack.wait_for("chat.postMessage")
    assert "Forgot your password" in text_of(post)
