"""Hostile requests: unverified or oversized bodies, forged fields, pings through echoed text."""

from __future__ import annotations

import http.client
import json
import logging
import os
import time
from urllib.parse import urlsplit

import pytest
from slack_bolt.request import BoltRequest

from bot.app import create_app
from bot.services import Services
from handlers import ids
from tests import domain_support
from tests.e2e.conftest import DIRECTORY, make_domain, make_settings, start_server
from tests.e2e.helpers import text_of
from tests.slack_fakes import (
    block_action,
    command_form,
    dm_event,
    event_body,
    interaction_form,
    signed_headers,
    view_submission,
)

MARKER = "UNSIGNED-BODY-MARKER-7f3a"


def forged_block_action(server) -> str:
    """A block_actions payload naming a response_url, a user and a channel to act on."""
    payload = block_action(
        "UTOM",
        {"action_id": "nothing_we_know", "value": MARKER, "type": "button"},
        response_url=server.slack.response_url("forged"),
        channel="C0VICTIM",
    )
    return interaction_form(payload)


def assert_slack_untouched(server) -> None:
    """A signed sentinel is answered, and nothing before it was posted, fetched or answered."""
    server.command("/faq", "", "UTOM", response_url=server.slack.response_url("sentinel"))
    server.slack.wait_for("response/sentinel")
    server.idle()  # the lazy pool may run the sentinel before earlier work: wait for all of it
    touched = [
        c.method
        for c in server.slack.calls
        if c.method.startswith(("chat.", "views.", "response/forged"))
        or "C0VICTIM" in json.dumps(c.args)
    ]
    assert touched == []


def raw_post(server, body: bytes, headers: dict[str, str], *, timeout: float = 5.0):
    """POST with exactly these headers (Content-Length too), returning (status, body)."""
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.putrequest("POST", "/slack/events")
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.send(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# -- B1: nothing unverified is ever answered, posted or fetched ------------------------------


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "0x10", "99999999999999999999"])
def test_a_malformed_timestamp_is_401_and_nothing_is_sent(server, timestamp):
    body = forged_block_action(server)
    headers = signed_headers(body, "application/x-www-form-urlencoded")
    headers["X-Slack-Request-Timestamp"] = timestamp
    reply = server.request("/slack/events", body, headers)
    assert reply.status == 401
    assert MARKER not in reply.body
    assert_slack_untouched(server)


def test_a_malformed_timestamp_on_a_command_gets_no_reply(server):
    form = command_form("/team", "", "UMARIA", server.slack.response_url("forged"))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    headers["X-Slack-Request-Timestamp"] = "abc"
    headers["X-Slack-Signature"] = "v0=00"
    reply = server.request("/slack/events", form, headers)
    assert reply.status == 401
    assert "Sorry" not in reply.body
    assert_slack_untouched(server)


def test_the_bolt_app_itself_never_answers_an_unverified_request(slack, domain, faq_store):
    """Behind any other front end: a verification that raises still answers nothing."""
    settings = make_settings(slack)
    app = create_app(settings, Services(settings=settings, faq=faq_store, domain=domain))
    payload = block_action(
        "UTOM",
        {"action_id": "nothing_we_know", "type": "button"},
        response_url=slack.response_url("forged"),
        channel="C0VICTIM",
    )
    request = BoltRequest(
        body=interaction_form(payload),
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": "abc",
            "x-slack-signature": "v0=00",
        },
    )
    response = app.dispatch(request)
    assert response.status == 401
    assert slack.calls == []


# -- B2: bodies are bounded and verified before they are parsed or logged --------------------


def test_an_oversized_body_is_413_before_it_is_read(server):
    started = time.monotonic()
    status, _ = raw_post(
        server,
        b"payload=" + b"x" * 100,  # the other 50 MB never come: the server must not wait
        {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": "50000000"},
    )
    assert status == 413
    assert time.monotonic() - started < 4  # not the 5-second read timeout


def test_a_body_over_the_limit_is_413_even_when_signed(server):
    from bot.web import MAX_BODY_BYTES

    body = json.dumps(event_body(dm_event("UTOM", "x" * (MAX_BODY_BYTES + 10))))
    headers = {**signed_headers(body, "application/json"), "Content-Length": str(len(body))}
    status, _ = raw_post(server, body[:1000].encode(), headers)  # refused before the rest
    assert status == 413
    assert_slack_untouched(server)


@pytest.mark.parametrize("length", ["", "abc", "-5"])
def test_a_missing_or_malformed_content_length_is_refused(server, length):
    headers = {"Content-Type": "application/json"}
    if length:
        headers["Content-Length"] = length
    status, _ = raw_post(server, b"", headers)
    assert status in (400, 411)
    assert_slack_untouched(server)


def test_an_unsigned_body_is_not_parsed(server):
    # Bolt would fail to parse this (400); unsigned, it must never get that far.
    reply = server.request(
        "/slack/events", "payload=null", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert reply.status == 401


def test_rejected_bodies_are_never_logged(server, caplog):
    caplog.set_level(logging.DEBUG)
    body = forged_block_action(server)
    for headers in (
        {"Content-Type": "application/x-www-form-urlencoded"},
        signed_headers(body, "application/x-www-form-urlencoded", secret="wrong"),
    ):
        assert server.request("/slack/events", body, headers).status == 401
    assert_slack_untouched(server)
    assert MARKER not in caplog.text


def test_the_bolt_app_never_logs_a_rejected_body(slack, domain, faq_store, caplog):
    caplog.set_level(logging.DEBUG)
    settings = make_settings(slack)
    app = create_app(settings, Services(settings=settings, faq=faq_store, domain=domain))
    body = json.dumps(event_body(dm_event("UTOM", MARKER)))
    headers = signed_headers(body, "application/json", secret="wrong")
    response = app.dispatch(
        BoltRequest(body=body, headers={k.lower(): v for k, v in headers.items()})
    )
    assert response.status == 401
    assert MARKER not in caplog.text


# -- B3: a refusal never tells whether an email is a user of another account ----------------


def test_another_accounts_user_and_an_unknown_email_get_the_same_answer(server):
    answers = {}
    for email in ("gary@globex.test", "nobody@globex.test"):
        name = email.split("@")[0]
        url = server.slack.response_url(name)
        server.command("/set-role", f"{email} technician", "UMARIA", response_url=url)
        [reply] = server.slack.wait_for(f"response/{name}")
        answers[email] = text_of(reply).replace(email, "EMAIL")
    assert answers["gary@globex.test"] == answers["nobody@globex.test"]
    assert "another account" not in answers["gary@globex.test"]
    # Only the audit log (the operator's) keeps the difference...
    details = {e.target: (e.outcome, e.detail) for e in server.domain.audit_log()}
    assert details["gary@globex.test"] != details["nobody@globex.test"]
    assert "another account" in details["gary@globex.test"][1]
    # ...not the account's own Recent activity, which the Site Manager sees in App Home.
    seen = {e.target: (e.outcome, e.detail) for e in server.domain.recent_audit("maria@acme.test")}
    assert seen["gary@globex.test"][0] == seen["nobody@globex.test"][0]
    assert seen["gary@globex.test"][1].replace("gary", "nobody") == seen["nobody@globex.test"][1]


# -- B8: control characters and surrogates: a clear refusal, and the attempt is audited -----


def test_a_nul_byte_in_a_command_is_refused_at_once_by_name(server):
    reply = server.command("/set-role", "someone\x00@acme.test technician", "UTOM")
    assert reply.status == 200
    assert "control character (U+0000)" in reply.json()["text"]
    assert_slack_untouched(server)


def forged_delete(server, user: str, target: str):
    # A confirmation that may open (Tom can be deleted); its metadata is then forged.
    server.command("/delete-technician", "<@UTOM|tom>", "UMARIA")
    [opened] = server.slack.wait_for("views.open")
    modal = (
        json.loads(opened.args["view"])
        if isinstance(opened.args["view"], str)
        else opened.args["view"]
    )
    meta = json.loads(modal["private_metadata"])
    modal["private_metadata"] = json.dumps({**meta, "target": target})  # \\ud800 stays escaped
    server.slack.reset()
    assert server.interact(view_submission(user, modal, {})).status == 200
    [refusal] = server.slack.wait_for("chat.postEphemeral")
    return text_of(refusal)


@pytest.mark.parametrize("user", ["UTOM", "UMARIA"])
def test_a_forged_surrogate_is_refused_and_the_attempt_audited(server, user):
    text = forged_delete(server, user, "someone\ud800@acme.test")
    assert "not an email address" in text
    [entry] = [e for e in server.domain.audit_log() if e.action == "delete_technician"]
    assert entry.outcome == "error"
    assert entry.target == "someone\\ud800@acme.test"


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL is not set")
def test_a_forged_nul_byte_is_refused_and_audited_on_postgresql(slack, faq_store):
    schema = domain_support.PostgresSchema(os.environ["TEST_DATABASE_URL"])
    try:
        domain_support.build_directory(
            schema.database.session_factory, domain_support.START, DIRECTORY
        )
        server, httpd = start_server(slack, make_domain(schema.database), faq_store)
        try:
            text = forged_delete(server, "UTOM", "someone\x00@acme.test")
            assert "not an email address" in text
            [entry] = [e for e in server.domain.audit_log() if e.action == "delete_technician"]
            assert (entry.actor, entry.outcome) == ("tom@acme.test", "error")
            assert entry.target == "someone\\x00@acme.test"
        finally:
            httpd.shutdown()
            httpd.server_close()
    finally:
        schema.drop()


# -- B10 / B13: nothing people, the directory or a payload wrote can ping anyone ------------

PINGS = ("<!here", "<!channel", "<!everyone", "<@UPAT", "<#C0EVIL")


def assert_no_pings(calls) -> None:
    for call in calls:
        sent = json.dumps(call.args, ensure_ascii=False)
        for ping in PINGS:
            assert ping not in sent, f"{call.method} carries {ping}: {sent[:300]}"


@pytest.fixture
def hostile_names(server):
    """A Site Manager and a technician whose directory names are pings; the manager is in Slack."""
    server.domain.import_directory(
        "account,name,email,phone,role,primary_contact\n"
        "Acme,<!here> Hanna <@UPAT>,hanna@acme.test,,site-manager,no\n"
        "Acme,<!channel> Ivan <#C0EVIL>,ivan@acme.test,,install-technician,no\n"
    )
    server.slack.add_person("UHANNA", "hanna@acme.test", name="Hanna")
    server.slack.add_person("UIVAN", "ivan@acme.test", name="Ivan")


def test_directory_names_never_ping_in_confirmations_dms_or_refusals(server, hostile_names):
    def command(name: str, command: str, text: str) -> str:
        server.command(command, text, "UHANNA", response_url=server.slack.response_url(name))
        [reply] = server.slack.wait_for(f"response/{name}")
        return reply.args["text"]

    assert "has not had one" in command("web", "/reinvite", "ivan@acme.test web")
    assert "Install Technician" in command("pc", "/set-primary-contact", "ivan@acme.test")
    assert "Ivan" in command("ok", "/set-role", "ivan@acme.test technician")
    [dm] = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UIVAN")
    assert "&lt;!here&gt; Hanna" in dm.args["text"]
    command("team", "/team", "")
    assert_no_pings(server.slack.calls)


def test_ask_a_human_never_builds_a_channel_link_from_the_payload(server):
    value = {"c": "C0GENERAL> <!here> <#C0EVIL", "ts": "", "q": "help me"}
    click = block_action(
        "UTOM",
        {"action_id": "ask_human", "value": json.dumps(value), "type": "button"},
        response_url=server.slack.response_url("human"),
        channel="C0GENERAL",
    )
    server.interact(click)
    server.slack.wait_for("response/human")
    [support] = server.slack.wait_for("chat.postMessage")
    assert_no_pings(server.slack.calls)
    assert "help me" in text_of(support)


# -- Tampered modal data: a clear refusal, never an assert's traceback ----------------------

PICK = {ids.USER_PICK_BLOCK: ids.USER_PICK_ACTION}


def opened_modal(server, how) -> dict:
    how()
    [opened] = server.slack.wait_for("views.open")
    server.slack.reset()
    value = opened.args["view"]
    return json.loads(value) if isinstance(value, str) else value


def private_reply(server, user: str, meta: dict):
    """The refusal: ephemeral in the form's channel, or a DM when the channel is unusable."""
    if isinstance(meta.get("channel"), str):
        return server.slack.wait_for("chat.postEphemeral")[0]
    return server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == user)[0]


def no_errors_logged(caplog) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("meta", "values"),
    [
        ({"target": 123, "channel": "C0GENERAL"}, {}),
        ({"target": None, "target_id": 123, "channel": "C0GENERAL"}, {}),
        ({"target": None, "channel": ["C0GENERAL"]}, {ids.USER_PICK_BLOCK: ["x"]}),
        ({"target": None}, {ids.USER_PICK_BLOCK: {ids.USER_PICK_ACTION: {"selected_option": "x"}}}),
        (
            {"target": None},
            {ids.USER_PICK_BLOCK: {ids.USER_PICK_ACTION: {"selected_option": {"value": 7}}}},
        ),
        ({"target": None}, "not a dict"),
    ],
)
def test_a_tampered_delete_form_gets_a_clear_refusal(server, caplog, meta, values):
    caplog.set_level(logging.ERROR)
    modal = opened_modal(
        server, lambda: server.command("/delete-technician", "<@UTOM|tom>", "UMARIA")
    )
    modal["private_metadata"] = json.dumps(meta)
    reply = server.interact(view_submission("UMARIA", modal, values))
    assert reply.status == 200
    if reply.body:  # the ack kept the form open, naming the field
        assert reply.json()["response_action"] == "errors"
    else:
        assert "couldn't read this form" in text_of(private_reply(server, "UMARIA", meta))
    assert no_errors_logged(caplog)
    assert server.probe.user("tom@acme.test").status == "active"


@pytest.mark.parametrize(
    "values",
    [
        {ids.ROLE_BLOCK: ["x"]},
        {ids.ROLE_BLOCK: {ids.ROLE_ACTION: {"selected_option": "site-manager"}}},
        {ids.ROLE_BLOCK: {ids.ROLE_ACTION: {"selected_option": {"value": ["site-manager"]}}}},
    ],
)
def test_a_tampered_role_form_gets_a_clear_refusal(server, caplog, values):
    caplog.set_level(logging.ERROR)
    click = block_action(
        "UMARIA",
        {"action_id": ids.ACTION_SET_ROLE, "value": "email:tom@acme.test", "type": "button"},
        response_url=server.slack.response_url("x"),
        channel="C0GENERAL",
    )
    modal = opened_modal(server, lambda: server.interact(click))
    assert server.interact(view_submission("UMARIA", modal, values)).status == 200
    refusal = private_reply(server, "UMARIA", json.loads(modal["private_metadata"]))
    assert "couldn't read this form" in text_of(refusal)
    assert no_errors_logged(caplog)
    assert server.probe.user("tom@acme.test").role == "technician"


@pytest.mark.parametrize(
    "values",
    [
        {ids.INVITE_KIND_BLOCK: {ids.INVITE_KIND_ACTION: {"selected_option": ["mobile"]}}},
        {ids.INVITE_SMS_BLOCK: {ids.INVITE_SMS_ACTION: {"selected_options": "sms"}}},
        {ids.INVITE_SMS_BLOCK: {ids.INVITE_SMS_ACTION: {"selected_options": ["sms"]}}},
    ],
)
def test_tampered_invitation_options_get_a_clear_refusal(server, caplog, values):
    caplog.set_level(logging.ERROR)
    modal = opened_modal(server, lambda: server.command("/reinvite", "<@UTOM|tom>", "UMARIA"))
    reply = server.interact(view_submission("UMARIA", modal, values))
    assert reply.status == 200
    if reply.body:
        assert reply.json()["response_action"] == "errors"
    else:
        refusal = private_reply(server, "UMARIA", json.loads(modal["private_metadata"]))
        assert "couldn't read this form" in text_of(refusal)
    assert no_errors_logged(caplog)
    assert server.probe.emails() == []


# -- Slack's entities are read once, and usage errors are answered once ----------------------


def test_an_email_with_an_ampersand_can_be_named_in_a_command(server):
    server.domain.import_directory(
        "account,name,email,phone,role,primary_contact\n"
        "Acme,Amp & Ersand,a&b@acme.test,,technician,no\n"
    )
    # Slack sends what people type with &, < and > escaped.
    server.command("/set-role", "a&amp;b@acme.test install-technician", "UMARIA")
    [reply] = server.slack.wait_for("response/r1")
    assert "✅" in text_of(reply)
    assert "Amp &amp; Ersand" in text_of(reply)  # escaped once on the way out
    assert "&amp;amp;" not in text_of(reply)
    assert server.probe.user("a&b@acme.test").role == "install-technician"


def test_usage_errors_show_the_text_as_typed_escaped_once(server):
    reply = server.command("/set-role", "&lt;pat&gt; technician", "UMARIA")
    shown = reply.json()["text"] + json.dumps(reply.json()["blocks"])
    assert "&amp;lt;" not in shown
    assert "'&lt;pat&gt;' is not an email address" in reply.json()["blocks"][0]["text"]["text"]
    help_reply = server.command("/helpbot", "a&amp;b", "UMARIA").json()
    assert "a&amp;b" in json.dumps(help_reply)
    assert "a&amp;amp;b" not in json.dumps(help_reply)


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/reinvite", "nonsense"),
        ("/set-role", "pat@acme.test"),
        ("/delete-technician", ""),
        ("/set-primary-contact", "a b"),
    ],
)
def test_a_usage_error_is_answered_once_in_the_ack(server, command, text):
    reply = server.command(command, text, "UMARIA", response_url=server.slack.response_url("u"))
    assert "Usage:" in reply.json()["text"]
    # A later command on the same response_url is answered; the usage error never is again.
    server.command("/faq", "", "UMARIA", response_url=server.slack.response_url("u"))
    [first] = server.slack.wait_for("response/u")
    assert "Usage:" not in text_of(first)
    server.command("/faq", "", "UMARIA", response_url=server.slack.response_url("u"))
    server.slack.wait_for("response/u", 2)
    server.idle()
    assert not [c for c in server.slack.of("response/u") if "Usage:" in text_of(c)]


def test_a_team_search_with_a_nul_byte_is_refused_by_name(server):
    server.command("/team", "to\x00m", "UMARIA")
    [reply] = server.slack.wait_for("response/r1")
    assert "control character (U+0000)" in text_of(reply)
