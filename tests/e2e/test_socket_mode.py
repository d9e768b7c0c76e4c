"""`helpbot socket` end to end: every kind of envelope over a real WebSocket to a fake Slack that
speaks the Socket Mode protocol; refreshes, dead connections, redeliveries and the ack deadline."""

from __future__ import annotations

import time

import pytest

from handlers import ids
from handlers.render.home import search_modal
from tests.e2e.conftest import MARIA, TOM, start_socket_bot
from tests.e2e.helpers import text_of
from tests.slack_fakes import (
    block_action,
    block_suggestion,
    dm_event,
    mention_event,
    view_submission,
)

ANSWER = "Forgot your password"
REPLACED_WITHIN = 10.0  # seconds: the bound for replacing a dead connection
ACK_DEADLINE = 3.0  # seconds: Slack's


def test_helpbot_holds_two_connections_and_each_one_serves(socket_bot):
    links = socket_bot.socket.wait_for_links(2)
    assert len(links) == 2
    assert len(socket_bot.slack.of("apps.connections.open")) == 2  # one URL per connection
    for link in links:
        envelope = socket_bot.event(dm_event("UTOM", "I forgot my password"), link=link)
        assert socket_bot.socket.wait_for_ack(envelope)["envelope_id"] == envelope.envelope_id
        assert envelope.acked_on == link.number  # acked on the connection it came on
    posts = socket_bot.slack.wait_for("chat.postMessage", 2)
    assert all(ANSWER in text_of(post) for post in posts)


def test_a_direct_message_is_acked_and_answered(socket_bot):
    envelope = socket_bot.event(dm_event("UTOM", "I forgot my password", channel="D0TOM"))
    assert socket_bot.socket.wait_for_ack(envelope) == {"envelope_id": envelope.envelope_id}
    [post] = socket_bot.slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0TOM"
    assert ANSWER in text_of(post)


def test_a_mention_is_answered_in_its_thread(socket_bot):
    event = mention_event("UTOM", "I forgot my password", channel="C0GENERAL")
    socket_bot.socket.wait_for_ack(socket_bot.event(event))
    [post] = socket_bot.slack.wait_for("chat.postMessage")
    assert (post.args["channel"], post.args["thread_ts"]) == ("C0GENERAL", event["ts"])
    assert ANSWER in text_of(post)


def test_a_slash_command_is_acked_then_answered_at_its_response_url(socket_bot):
    envelope = socket_bot.command("/team", "tom", "UMARIA")
    socket_bot.socket.wait_for_ack(envelope)
    [reply] = socket_bot.slack.wait_for("response/r1")
    assert "Tom Tech" in text_of(reply)
    assert "Pat Primary" not in text_of(reply)


def test_a_button_click_is_acked_and_acted_on(socket_bot):
    click = block_action(
        "UMARIA",
        {"action_id": ids.HOME_TEAM, "value": "home", "type": "button"},
        response_url=None,
        container={"type": "view", "view_id": "VHOME"},
        channel=None,
    )
    socket_bot.socket.wait_for_ack(socket_bot.interact(click))
    [post] = socket_bot.slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "UMARIA"
    assert "Tom Tech" in text_of(post)


def test_a_view_submission_is_answered_in_the_ack_payload(socket_bot):
    values = {
        ids.SEARCH_BLOCK: {
            ids.SEARCH_ACTION: {"type": "plain_text_input", "value": "forgot my password"}
        }
    }
    envelope = socket_bot.interact(view_submission("UTOM", search_modal(), values))
    ack = socket_bot.socket.wait_for_ack(envelope)
    assert ack["payload"]["response_action"] == "update"
    assert ANSWER in str(ack["payload"]["view"])
    empty = socket_bot.socket.wait_for_ack(
        socket_bot.interact(view_submission("UTOM", search_modal(), {}))
    )
    assert empty["payload"] == {
        "response_action": "errors",
        "errors": {ids.SEARCH_BLOCK: "Type a question."},
    }


def test_a_block_suggestion_gets_its_options_in_the_ack(socket_bot):
    suggestion = block_suggestion("UMARIA", ids.USER_PICK_ACTION, "to", {"type": "modal"})
    ack = socket_bot.socket.wait_for_ack(socket_bot.interact(suggestion))
    [option] = ack["payload"]["options"]
    # The value is the user's reference (it fits Slack's 150 characters whatever the email).
    assert socket_bot.domain.user_by_ref(MARIA, option["value"]).email == TOM


def test_refresh_requested_opens_a_new_connection_first(socket_bot):
    fake = socket_bot.socket
    old, other = fake.wait_for_links(2)
    fake.refresh(old)
    fake.wait_until(lambda: old.closed_at is not None, 10, "the refreshed connection to close")
    [new] = fake.wait_until(
        lambda: [link for link in fake.live_links() if link.number >= 2], 10, "a new connection"
    )
    assert new.opened_at <= old.closed_at  # never fewer connections than asked for
    assert len(socket_bot.slack.of("apps.connections.open")) == 3
    envelope = socket_bot.event(dm_event("UTOM", "I forgot my password"), link=new)
    fake.wait_for_ack(envelope)
    assert other.live


@pytest.mark.parametrize("reset", [False, True], ids=["silent", "reset"])
def test_a_dead_connection_costs_nothing_and_is_replaced_within_10_s(
    socket_bot, reset, record_property
):
    """A connection killed without a close frame: silent (a NAT forgot it) or reset."""
    fake = socket_bot.socket
    dead, alive = fake.wait_for_links(2)
    dropped_at = time.monotonic()
    fake.drop(dead, reset=reset)
    # Meanwhile Slack delivers to the connection left: nothing waits for a retry.
    during = [socket_bot.event(dm_event("UTOM", "I forgot my password")) for _ in range(3)]
    for envelope in during:
        fake.wait_for_ack(envelope, timeout=ACK_DEADLINE)
        assert envelope.acked_on == alive.number
    [new] = fake.wait_until(
        lambda: [link for link in fake.live_links() if link.number >= 2],
        REPLACED_WITHIN + 20,  # wait longer than the bound, so that a miss reports its time
        "a replacement connection",
    )
    replaced_in = new.opened_at - dropped_at
    record_property("replaced_in_seconds", round(replaced_in, 2))
    print(f"\ndead connection ({'reset' if reset else 'silent'}) replaced in {replaced_in:.1f} s")
    assert replaced_in <= REPLACED_WITHIN
    fake.wait_for_ack(socket_bot.event(dm_event("UTOM", "hello"), link=new))
    socket_bot.slack.wait_for("chat.postMessage", 4)


def test_a_redelivery_with_retry_attempt_is_acked_and_handled_once(socket_bot):
    fake = socket_bot.socket
    first, second = fake.wait_for_links(2)
    event = dm_event("UTOM", "I forgot my password")
    original = socket_bot.event(event, event_id="Ev0SOCKET", link=first)
    retry = socket_bot.event(
        event, event_id="Ev0SOCKET", link=second, retry_attempt=1, retry_reason="timeout"
    )
    fake.wait_for_ack(original)
    fake.wait_for_ack(retry)
    claims = fake.wait_until(
        lambda: (
            [won for key, won in socket_bot.domain.claims if "Ev0SOCKET" in key][:2]
            if len([k for k, _ in socket_bot.domain.claims if "Ev0SOCKET" in k]) >= 2
            else None
        ),
        10,
        "both deliveries claimed",
    )
    assert sorted(claims) == [False, True]  # the retry lost its claim: it does nothing more
    [post] = socket_bot.slack.wait_for("chat.postMessage")
    assert ANSWER in text_of(post)
    assert len(socket_bot.slack.of("chat.postMessage")) == 1
    assert fake.stray == []  # one ack per envelope, nothing else


def test_every_envelope_is_acked_within_3_s_under_load(socket_bot):
    fake = socket_bot.socket
    people = ["UTOM", "UPAT", "UMARIA"]
    questions = ["I forgot my password", "my invite expired", "hello"]
    sent = [
        socket_bot.event(dm_event(people[n % 3], questions[n % 3], channel=f"D{n:04}"))
        for n in range(120)
    ]
    fake.wait_until(lambda: all(e.acked_at is not None for e in sent), 60, "every ack")
    slowest = max(e.ack_seconds for e in sent)
    print(f"\n120 DMs: slowest ack {slowest * 1000:.0f} ms")
    assert slowest <= ACK_DEADLINE
    assert len(fake.links) == 2  # the load replaced no connection (no missed pong)
    assert {e.acked_on for e in sent} == {0, 1}  # both served
    socket_bot.slack.wait_for("chat.postMessage", 120, timeout=60)


def test_connections_and_ping_timeout_are_configurable(slack, socket_domain, faq_store):
    bot, fake = start_socket_bot(
        slack, socket_domain, faq_store, socket_connections=3, socket_ping_timeout=2.0
    )
    try:
        assert len(fake.wait_for_links(3)) == 3
        intervals = {handler.client.ping_interval for handler in bot.connections.handlers}
        assert intervals == {0.5}  # four pings per timeout
    finally:
        fake.stop()
        bot.connections.close()


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("events_api", {}),
        ("events_api", {"type": "event_callback", "event": {"type": "message"}}),
        ("interactive", {"type": "block_actions", "actions": [{"action_id": ids.HOME_TEAM}]}),
        ("slash_commands", {"command": "/team"}),
        ("interactive", {"type": "no_such_type"}),
    ],
)
def test_a_forged_envelope_is_acked_and_breaks_nothing(socket_bot, kind, payload):
    fake = socket_bot.socket
    fake.wait_for_ack(fake.send(kind, payload))
    fake.wait_for_ack(socket_bot.event(dm_event("UTOM", "I forgot my password")))
    [post] = socket_bot.slack.wait_for("chat.postMessage")
    assert ANSWER in text_of(post)
    assert len(fake.links) == 2  # no connection was lost over it
