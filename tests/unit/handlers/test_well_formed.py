"""Payload shapes Slack never sends are refused before Bolt reads them."""

from __future__ import annotations

import pytest

from handlers.well_formed import problem


@pytest.mark.parametrize(
    "body",
    [
        {"type": "block_actions", "actions": [{"action_id": "x"}], "view": {"id": "V1"}},
        {"type": "event_callback", "event": {"type": "message"}},
        {"command": "/faq", "text": ""},
        {},
    ],
)
def test_shapes_slack_sends_pass(body):
    assert problem(body) is None


@pytest.mark.parametrize(
    ("body", "wrong"),
    [
        ({"view": None}, "view is not an object"),
        ({"view": []}, "view is not an object"),
        ({"type": "event_callback", "event": "x"}, "event is not an object"),
        ({"type": "block_actions", "actions": [None]}, "actions is not a list of objects"),
        ({"actions": {"a": 1}}, "actions is not a list of objects"),
        ([1, 2], "not an object"),
    ],
)
def test_other_shapes_are_refused(body, wrong):
    assert problem(body) == wrong
