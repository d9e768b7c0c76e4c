"""Hypothesis fuzzing of slash-command text and interactivity payloads: never a 5xx, always a
clear message, and nothing in the directory changes."""

from __future__ import annotations

import copy
import itertools
import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import ids
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
def test_command_text_never_breaks_anything(server, command, text, user):
    before = server.probe.snapshot()
    name = f"fuzz-{next(_numbers)}"
    views = len(server.slack.of("views.open"))
    reply = server.command(command, text, user, response_url=server.slack.response_url(name))
    assert reply.status == 200
    message = replied(server, name, views, reply.body)
    assert message.strip()
    assert "something went wrong" not in message
    if user != "UGARY" or command in ("/faq", "/team", "/helpbot"):
        assert server.probe.snapshot() == before


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
def test_button_payloads_never_break_anything(server, action_id, value, selected):
    before = server.probe.snapshot()
    action = {"action_id": action_id, "type": "button", "value": value}
    if isinstance(selected, dict):
        action["selected_option"] = selected
    payload = block_action("UTOM", action, response_url=server.slack.response_url("fuzz"))
    assert server.interact(payload).status < 500
    time.sleep(0.05)
    if action_id != ids.ACTION_RESET_PASSWORD:  # Tom may ask for his own reset link
        assert server.probe.snapshot() == before


@FUZZ
@given(callback_id=callback_ids, metadata=json_values, values=json_values)
def test_view_submissions_never_break_anything(server, callback_id, metadata, values):
    before = server.probe.snapshot()
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
    time.sleep(0.05)
    assert server.probe.snapshot() == before


@FUZZ
@given(payload=json_values)
def test_garbage_interactivity_is_refused_cleanly(server, payload):
    from urllib.parse import urlencode

    form = urlencode({"payload": json.dumps(payload)})
    reply = server.post(form, "application/x-www-form-urlencoded")
    assert reply.status < 500


def test_no_apologies_were_needed(server):
    """A canary for the fuzz tests above: unexpected errors produce an apology."""
    assert not [c for c in server.slack.calls if "something went wrong" in json.dumps(c.args)]
