"""Parse slash-command text into primitives (the Slack side of bot/commands.py's grammar).

Slack sends users escaped as <@U123|name> (or <@U123>), and emails as plain text or
<mailto:a@b.c|a@b.c>. Every parse error is a `UsageError` whose message shows the usage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.domain import DomainError, parse_role

_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_MAILTO = re.compile(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$")
_EMAIL = re.compile(r"^[^@\s<>|]+@[^@\s<>|]+\.[^@\s<>|]+$")


class UsageError(DomainError):
    """The command text does not follow the command's usage."""


@dataclass(frozen=True)
class UserRef:
    """A person named in a command: a Slack user id or an email address."""

    slack_user_id: str | None = None
    email: str | None = None

    def label(self) -> str:
        return f"<@{self.slack_user_id}>" if self.slack_user_id else str(self.email)


@dataclass(frozen=True)
class ReinviteArgs:
    user: UserRef
    kind: str | None  # None: no options given, open the Invitation modal
    require_sms: bool


@dataclass(frozen=True)
class SetRoleArgs:
    user: UserRef
    role: str


def parse_user(token: str, usage: str) -> UserRef:
    """A user token: <@U123|name>, <@U123>, <mailto:a@b.c|a@b.c> or a@b.c."""
    if match := _USER.match(token):
        return UserRef(slack_user_id=match.group(1))
    if match := _MAILTO.match(token):
        token = match.group(1)
    if _EMAIL.match(token):
        return UserRef(email=token.lower())
    if token.startswith("@"):
        raise UsageError(
            f"I can't tell who {token[:40]} is. Pick them from the @ menu so that Slack sends "
            f"their ID, or use their email address. Usage: {usage}"
        )
    raise UsageError(f"Name a user with @ or their email address. Usage: {usage}")


def _tokens(text: str) -> list[str]:
    return text.split()


def parse_reinvite(text: str, usage: str) -> ReinviteArgs:
    """'@user [mobile|web] [sms]'."""
    tokens = _tokens(text)
    if not tokens:
        raise UsageError(f"Whom should I invite? Usage: {usage}")
    user = parse_user(tokens[0], usage)
    kind: str | None = None
    sms = False
    for token in tokens[1:]:
        word = token.lower()
        if word in ("mobile", "web"):
            if kind is not None and kind != word:
                raise UsageError(f"Choose mobile or web, not both. Usage: {usage}")
            kind = word
        elif word in ("sms", "require-sms", "+sms"):
            sms = True
        else:
            raise UsageError(f"I don't understand '{token[:40]}'. Usage: {usage}")
    if sms and kind == "web":
        raise UsageError("SMS verification applies to mobile invitations only.")
    if sms and kind is None:
        kind = "mobile"
    return ReinviteArgs(user, kind, sms)


def parse_set_role(text: str, usage: str) -> SetRoleArgs:
    """'@user ROLE' (ROLE may be several words: Install Technician)."""
    tokens = _tokens(text)
    if len(tokens) < 2:
        raise UsageError(f"Name a user and a role. Usage: {usage}")
    return SetRoleArgs(parse_user(tokens[0], usage), parse_role(" ".join(tokens[1:])))


def parse_single_user(text: str, usage: str) -> UserRef:
    """'@user'."""
    tokens = _tokens(text)
    if len(tokens) != 1:
        raise UsageError(f"Name exactly one user. Usage: {usage}")
    return parse_user(tokens[0], usage)
