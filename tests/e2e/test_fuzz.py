"""Hypothesis fuzzing of slash-command text and interactivity payloads: never a 5xx, always a
clear message, never the apology for a crash, and nothing in the directory changes.

The `server` fixture lives for a whole test function, so each example looks only at what
happened since it started (`Example`), after the server finished everything it was sent.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import ids
from handlers.errors import APOLOGY
from tests.slack_fakes import block_action, view_submission

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_numbers = itertools.count()

# Text a person might type, with Slack's markup and hostile bits mixed in.
slack_bits = st.sampled_from(
    [
        "<@UTOM|tom>",
        "<@UNOPE>",
        "<!channel>",
        "<!here>",
        "<#C123|general>",
        "<mailto:x@y.z|x@y.z>",
        "nina@acme.test",
        "gwen@globex.test",
        "mobile",
        "web",
        "sms",
        "site-manager",
        "Install Technician",
        "&lt;",
        "&amp;",
        "@tom",
        "*bold*",
        "\u200b",
        "😀",
        "' OR 1=1 --",
        "%s%s",
        "\n",
        "  ",
    ]
)
command_text = st.lists(st.one_of(slack_bits, st.text(max_size=30)), max_size=6).map(" ".join)


@dataclass
class Example:
    """One fuzz example: what the server had seen and logged, and the state, before it."""

    server: object
    caplog: pytest.LogCaptureFixture
    calls: int
    records: int
    state: str

    @classmethod
    def start(cls, server, caplog) -> Example:
        return cls(
            server, caplog, len(server.slack.calls), len(caplog.records), server.probe.snapshot()
        )

    def check(self, *, state_may_change: bool = False) -> None:
        """Once the server is idle: no crash was apologised for or logged, nothing changed."""
        self.server.idle()
        since = self.server.slack.calls[self.calls :]
        apologies = [c.method for c in since if APOLOGY in json.dumps(c.args, ensure_ascii=False)]
        assert apologies == [], "a listener crashed: the person got the apology"
        crashes = [
            r.getMessage()
            for r in self.caplog.records[self.records :]
            if r.levelno >= logging.ERROR
        ]
        assert crashes == []
        if not state_may_change:
            assert self.server.probe.snapshot() == self.state


@pytest.fixture
def caplog_errors(caplog) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.ERROR)
    return caplog


def replied(server, name: str, before_views: int, ack_body: str, timeout: float = 15.0) -> str:
    """The message the person saw: the ack itself, a response_url post, or a modal."""
    if ack_body:
        return json.loads(ack_body).get("text", "")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = server.slack.of(f"response/{name}")
        if posts:
            return posts[0].args.get("text", "")
        if len(server.slack.of("views.open")) > before_views:
            return "(a modal)"
        time.sleep(0.02)
    raise AssertionError("no reply")


@FUZZ
@given(
    command=st.sampled_from(
        [
            "/faq",
            "/reinvite",
            "/set-role",
            "/set-primary-contact",
            "/delete-technician",
            "/team",
            "/helpbot",
        ]
    ),
    text=command_text,
    user=st.sampled_from(["UGARY", "UTOM", "USTRANGER"]),
)
def test_command_text_never_breaks_anything(server, caplog_errors, command, text, user):
    example = Example.start(server, caplog_errors)
    name = f"fuzz-{next(_numbers)}"
    views = len(server.slack.of("views.open"))
    reply = server.command(command, text, user, response_url=server.slack.response_url(name))
    assert reply.status == 200
    message = replied(server, name, views, reply.body)
    assert message.strip()
    # Gary is a Site Manager: his admin commands may act.
    example.check(state_may_change=user == "UGARY" and command not in ("/faq", "/team", "/helpbot"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
action_ids = st.sampled_from(
    [
        ids.FEEDBACK_HELPFUL,
        ids.FEEDBACK_NOT_HELPFUL,
        ids.indexed(ids.CLARIFY_PICK, 0),
        ids.indexed(ids.SHOW_ENTRY, 1),
        ids.ASK_HUMAN,
        ids.SHARE_ANSWER,
        ids.ACTION_RESET_PASSWORD,
        ids.ACTION_REINVITE,
        ids.ACTION_SET_ROLE,
        ids.ACTION_DELETE_TECHNICIAN,
        ids.USER_OVERFLOW,
        ids.HOME_SEARCH,
        ids.HOME_TEAM,
    ]
)
callback_ids = st.sampled_from(
    [
        ids.REINVITE_MODAL,
        ids.SET_ROLE_MODAL,
        ids.DELETE_CONFIRM_MODAL,
        ids.SEARCH_MODAL,
        ids.PICK_ANSWER_MODAL,
        "someone_elses_modal",
    ]
)


@FUZZ
@given(
    action_id=action_ids,
    value=st.one_of(st.text(max_size=60), json_values.map(json.dumps)),
    selected=json_values,
)
def test_button_payloads_never_break_anything(server, caplog_errors, action_id, value, selected):
    example = Example.start(server, caplog_errors)
    action = {"action_id": action_id, "type": "button", "value": value}
    if isinstance(selected, dict):
        action["selected_option"] = selected
    payload = block_action("UTOM", action, response_url=server.slack.response_url("fuzz"))
    assert server.interact(payload).status < 500
    # Tom may ask for his own reset link.
    example.check(state_may_change=action_id == ids.ACTION_RESET_PASSWORD)


@FUZZ
@given(callback_id=callback_ids, metadata=json_values, values=json_values)
def test_view_submissions_never_break_anything(
    server, caplog_errors, callback_id, metadata, values
):
    example = Example.start(server, caplog_errors)
    view = {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": json.dumps(metadata),
        "blocks": [],
    }
    payload = view_submission(
        "UTOM", view, copy.deepcopy(values) if isinstance(values, dict) else {}
    )
    reply = server.interact(payload)
    assert reply.status < 500
    example.check()


@FUZZ
@given(payload=json_values)
def test_garbage_interactivity_is_refused_cleanly(server, caplog_errors, payload):
    example = Example.start(server, caplog_errors)
    form = urlencode({"payload": json.dumps(payload)})
    reply = server.post(form, "application/x-www-form-urlencoded")
    assert reply.status < 500
    example.check()


@pytest.mark.parametrize("payload", [{"view": []}, {"type": "block_actions", "actions": [7]}])
def test_a_signed_payload_of_a_shape_slack_never_sends_is_refused(server, caplog_errors, payload):
    # Found by the fuzz test above: Bolt's own logging of an unhandled request crashed on it.
    example = Example.start(server, caplog_errors)
    form = urlencode({"payload": json.dumps(payload)})
    assert server.post(form, "application/x-www-form-urlencoded").status == 400
    example.check()
