"""Signatures, acks within 3 s, retried events answered once, Web API retries, and failures
that never repeat or undo a domain action."""

from __future__ import annotations

import json
import logging
import time

import pytest

from bot.domain import Domain
from bot.domain.db import make_session_factory
from handlers import ids
from tests import domain_support
from tests.e2e.conftest import make_domain, start_server
from tests.e2e.helpers import text_of
from tests.slack_fakes import (
    Failure,
    block_action,
    command_form,
    dm_event,
    event_body,
    signed_headers,
)


@pytest.mark.parametrize(
    "signing",
    [
        {"secret": "not-the-secret"},
        {"timestamp": int(time.time()) - 10 * 60},  # stale: replayed later
        {"timestamp": int(time.time()) + 10 * 60},
    ],
)
def test_bad_or_stale_signature_is_401_and_nothing_happens(server, signing):
    assert server.event(dm_event("UTOM", "I forgot my password"), **signing).status == 401
    assert server.command("/helpbot", "help", "UTOM").status == 200  # the real one still works
    form = command_form("/reinvite", "<@UTOM|t> mobile", "UMARIA", server.slack.response_url())
    reply = server.post(form, "application/x-www-form-urlencoded", **signing)
    assert reply.status == 401
    server.idle()
    assert server.slack.of("chat.postMessage") == []
    assert server.domain.audit_log() == []


def test_unsigned_request_is_401(server):
    body = json.dumps(event_body(dm_event("UTOM", "hi")))
    reply = server.request("/slack/events", body, {"Content-Type": "application/json"})
    assert reply.status == 401


def test_url_verification_challenge(server):
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    reply = server.post(body, "application/json")
    assert reply.status == 200
    assert "c-123" in reply.body


def test_retried_event_is_answered_once(server):
    event = dm_event("UTOM", "I forgot my password")
    assert server.event(event, event_id="Ev0RETRY").status == 200
    assert server.event(event, event_id="Ev0RETRY", retry=1).status == 200
    assert server.event(event, event_id="Ev0RETRY", retry=2).status == 200
    server.slack.wait_for("chat.postMessage")
    server.idle()
    assert len(server.slack.of("chat.postMessage")) == 1


def test_two_servers_sharing_one_database_answer_a_retry_once(server, slack, database, faq_store):
    engine = database.another_engine()  # a second server: its own engine on the same file
    second = domain_support.Database("sqlite", engine, make_session_factory(engine))
    other, httpd = start_server(slack, make_domain(second), faq_store)
    try:
        event = dm_event("UTOM", "I forgot my password")
        assert server.event(event, event_id="Ev0TWO").status == 200
        assert other.event(event, event_id="Ev0TWO", retry=1).status == 200
        slack.wait_for("chat.postMessage")
        server.idle()
        other.idle()
        assert len(slack.of("chat.postMessage")) == 1
    finally:
        httpd.shutdown()
        httpd.server_close()
        engine.dispose()


def test_acks_never_wait_for_slack(server):
    # Slack's answers are held back until after both acks: an ack that waited for one would
    # never come (the request times out and the test fails), whatever the machine's speed.
    server.slack.hold("users.info", "chat.postMessage", "chat.postEphemeral")
    reply = server.command("/reinvite", "<@UTOM|tom> mobile", "UMARIA")
    event_reply = server.event(dm_event("UPAT", "I forgot my password"))
    assert reply.status == 200
    assert event_reply.status == 200
    assert server.slack.of("response/r1") == []
    server.slack.release()
    server.slack.wait_for("response/r1", timeout=15)
    server.slack.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == "D0DM")


def test_rate_limited_post_is_retried_after_retry_after(server):
    server.slack.fail("chat.postMessage", Failure(status=429, retry_after=0))
    server.event(dm_event("UTOM", "I forgot my password"))
    posts = server.slack.wait_for("chat.postMessage", 2, timeout=15)
    assert len(posts) == 2
    server.idle()
    assert len(server.slack.of("chat.postMessage")) == 2  # one refused, one delivered


def test_lost_connection_is_retried(server):
    server.slack.fail("chat.postMessage", Failure(disconnect=True))
    server.event(dm_event("UTOM", "I forgot my password"))
    posts = server.slack.wait_for("chat.postMessage", 2, timeout=15)
    assert "Forgot your password" in text_of(posts[-1])


def test_a_failed_reply_never_repeats_or_undoes_the_action(server, caplog):
    caplog.set_level(logging.WARNING)
    failing = Failure(status=500, body={"ok": False, "error": "internal_error"})
    server.slack.fail("response/r1", failing, failing, failing)
    server.slack.fail("chat.postMessage", failing)  # and the DM to the target fails too
    server.command("/reinvite", "<@UTOM|tom> mobile", "UMARIA")
    server.slack.wait_for("response/r1")
    server.slack.wait_for("chat.postMessage")
    server.idle()
    assert server.probe.done() == ["reinvite"]
    assert server.probe.emails() == ["Your invitation to the SMB mobile app"]
    assert server.probe.user("tom@acme.test").invitation.startswith("mobile invitation pending")


def test_a_failed_reply_to_an_event_is_not_redone_by_slacks_retry(server):
    server.slack.fail("chat.postMessage", Failure(status=200, body={"ok": False, "error": "fatal"}))
    event = dm_event("UTOM", "I forgot my password")
    server.event(event, event_id="Ev0FAIL")
    _failed, apology = server.slack.wait_for("chat.postMessage", 2)
    assert "Sorry, something went wrong" in apology.args["text"]
    server.event(event, event_id="Ev0FAIL", retry=1)
    server.idle()
    assert len(server.slack.of("chat.postMessage")) == 2


def test_double_click_on_a_button_acts_once(server):
    payload = block_action(
        "UTOM",
        {"action_id": ids.ACTION_RESET_PASSWORD, "value": "forgot-password", "type": "button"},
        response_url=server.slack.response_url("reset"),
    )
    server.interact(payload)
    server.interact(payload)  # the same delivery twice
    server.slack.wait_for("response/reset", 2)
    assert server.probe.emails() == ["Reset your SMB app password"]
    assert "Already done" in server.slack.of("response/reset")[1].args["text"] or (
        "Already done" in text_of(server.slack.of("response/reset")[1])
    )


class BrokenDomain(Domain):
    def team_page(self, *args, **kwargs):
        raise RuntimeError("database exploded: password=hunter2")


def test_unexpected_error_is_logged_with_traceback_and_the_user_gets_an_apology(
    slack, database, faq_store, caplog
):
    caplog.set_level(logging.ERROR, logger="handlers.errors")
    server, httpd = start_server(slack, make_domain(database, BrokenDomain), faq_store)
    try:
        server.command("/team", "", "UMARIA")
        [reply] = slack.wait_for("response/r1")
        assert "Sorry, something went wrong" in reply.args["text"]
        assert "hunter2" not in text_of(reply)
        assert reply.args["response_type"] == "ephemeral"
        [record] = [r for r in caplog.records if r.name == "handlers.errors"]
        assert record.exc_info is not None
        assert "command /team" in record.getMessage()
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_database_failure_never_delays_or_fails_the_ack(slack, database, faq_store, caplog):
    class BrokenClaims(Domain):
        def claim_delivery(self, key):
            raise RuntimeError("database is down")

    caplog.set_level(logging.ERROR, logger="handlers.errors")
    server, httpd = start_server(slack, make_domain(database, BrokenClaims), faq_store)
    try:
        reply = server.event(dm_event("UTOM", "hi"))
        assert reply.status == 200  # the event is acked; the claim happens afterwards
        [apology] = slack.wait_for("chat.postMessage")
        assert "Sorry, something went wrong" in apology.args["text"]
        assert any(r.exc_info for r in caplog.records if r.name == "handlers.errors")
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_unknown_paths_and_methods(server):
    assert server.request("/nope").status == 404
    assert server.request("/healthz", "x", {}, method="POST").status == 405
    assert server.request("/slack/events").status == 404  # GET: Bolt serves POST only


def test_signed_headers_match_slacks_documented_example():
    # api.slack.com/authentication/verifying-requests-from-slack
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        "command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        "trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    headers = signed_headers(
        body,
        "application/x-www-form-urlencoded",
        secret="8f742231b10e8888abcd99yyyzzz85a5",
        timestamp=1531420618,
    )
    assert headers["X-Slack-Signature"] == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )
