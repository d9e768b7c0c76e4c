"""manifest.yml declares exactly what the code registers and needs, no more."""

from __future__ import annotations

import yaml

from handlers import ids
from handlers.commands import specs
from tests.conftest import REPO

MANIFEST = yaml.safe_load((REPO / "manifest.yml").read_text())


def test_commands_match_the_command_registry():
    declared = {
        c["command"]: (c["usage_hint"], c["description"], c["should_escape"])
        for c in MANIFEST["features"]["slash_commands"]
    }
    assert declared == {s.name: (s.usage, s.summary, True) for s in specs()}


def test_every_request_goes_to_one_url():
    urls = {c["url"] for c in MANIFEST["features"]["slash_commands"]}
    settings = MANIFEST["settings"]
    urls |= {settings["event_subscriptions"]["request_url"]}
    urls |= {settings["interactivity"]["request_url"]}
    urls |= {settings["interactivity"]["message_menu_options_url"]}
    assert len(urls) == 1
    assert urls.pop().endswith("/slack/events")


def test_the_shortcut_is_ours():
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", ids.ANSWER_WITH_HELPBOT)


def test_events_are_exactly_those_handled():
    assert sorted(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == [
        "app_home_opened",
        "app_mention",
        "link_shared",
        "message.channels",
        "message.im",
    ]


def test_scopes_are_the_minimum():
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == [
        "app_mentions:read",
        "channels:history",
        "chat:write",
        "commands",
        "im:history",
        "links:read",
        "links:write",
        "users:read",
        "users:read.email",
    ]
    assert "user" not in MANIFEST["oauth_config"]["scopes"]


def test_home_tab_and_unfurl_domain():
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert MANIFEST["features"]["unfurl_domains"]
