"""Slash-command text to primitives (bot.commands' parsers with Slack's rules on top)."""

from __future__ import annotations

import pytest

from handlers.domain import InvalidRole
from handlers.parsing import (
    UsageError,
    UserRef,
    parse_reinvite,
    parse_set_role,
    parse_single_user,
)
from handlers.render.admin import target_label

USAGE = "/reinvite @user [mobile|web] [sms]"


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("<@U123|maria>", UserRef(slack_user_id="U123")),
        ("<@W42>", UserRef(slack_user_id="W42")),
        ("Maria@Acme.test", UserRef(email="maria@acme.test")),
        ("<mailto:maria@acme.test|maria@acme.test>", UserRef(email="maria@acme.test")),
    ],
)
def test_users(token, expected):
    assert parse_single_user(token, USAGE) == expected


@pytest.mark.parametrize("token", ["@maria", "maria", "<!channel>", "<#C1|x>", "a@b", ""])
def test_not_users(token):
    with pytest.raises(UsageError) as raised:
        parse_single_user(token, USAGE)
    assert raised.value.user_message.endswith(f"Usage: {USAGE}")


@pytest.mark.parametrize(
    ("text", "kind", "sms"),
    [
        ("<@U1|a>", None, False),
        ("<@U1|a> mobile", "mobile", False),
        ("<@U1|a> web", "web", False),
        ("<@U1|a> mobile sms", "mobile", True),
        ("<@U1|a> SMS", "mobile", True),
        ("<@U1|a>   Mobile  ", "mobile", False),
    ],
)
def test_reinvite(text, kind, sms):
    args = parse_reinvite(text, USAGE)
    assert (args.user.slack_user_id, args.kind, args.require_sms) == ("U1", kind, sms)


@pytest.mark.parametrize(
    "text", ["", "<@U1|a> web sms", "<@U1|a> mobile web", "<@U1|a> tablet", "nobody"]
)
def test_reinvite_refusals(text):
    with pytest.raises(UsageError):
        parse_reinvite(text, USAGE)


def test_set_role_accepts_words_and_ids():
    assert parse_set_role("<@U1|a> Install Technician", "u").role == "install-technician"
    assert parse_set_role("a@b.c site-manager", "u").role == "site-manager"
    with pytest.raises(UsageError):
        parse_set_role("<@U1|a>", "u")
    with pytest.raises(InvalidRole):
        parse_set_role("<@U1|a> boss", "u")


def test_an_invalid_role_is_not_echoed_at_length():
    with pytest.raises(InvalidRole) as raised:
        parse_set_role("<@U1|a> " + "x" * 500, "u")
    assert len(raised.value.user_message) < 200


def test_single_user_and_labels():
    assert parse_single_user(" <@U1|a> ", "u").slack_user_id == "U1"
    with pytest.raises(UsageError):
        parse_single_user("<@U1|a> <@U2|b>", "u")
    assert target_label(None, "U123") == "<@U123>"  # one labelling, in handlers.render.admin
    assert target_label("a&b@b.c", None) == "a&amp;b@b.c"
