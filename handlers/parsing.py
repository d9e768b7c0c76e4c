"""Slash-command text to primitives, with the shared parsers of `bot.commands`.

Slack sends users escaped as <@U123|name> (or <@U123>) and emails as plain text or
<mailto:a@b.c|a@b.c>; `bot.commands` reads all of these. Slack also sends the &, < and > people
typed as &amp;, &lt; and &gt;: each parser here turns them back once, so that an email with
an & can be found and a message quotes what was typed (render escapes it once on the way
out). What is Slack's own: a bare `/reinvite @user` (no options) opens the Invitation modal,
and every syntax error becomes a `UsageError` (a DomainError, so it is shown to the person)
naming the Slack usage.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import commands
from bot.commands import CommandSyntaxError, UserRef
from handlers.domain import DomainError, parse_role
from handlers.render.text import unescape

__all__ = [
    "FormInvalid",
    "ReinviteArgs",
    "SetRoleArgs",
    "UsageError",
    "UserRef",
    "parse_reinvite",
    "parse_reset_password",
    "parse_set_role",
    "parse_single_user",
]


class UsageError(DomainError):
    """The command text does not follow the command's usage."""


class FormInvalid(DomainError):
    """A submitted form or button carries data of a shape helpbot never sends (tampered)."""

    def __init__(self) -> None:
        super().__init__(
            "I couldn't read this form: it doesn't look like one I sent. Close it and start "
            "again from the command or the button."
        )


@dataclass(frozen=True)
class ReinviteArgs:
    user: UserRef
    kind: str | None  # None: no options given, open the Invitation modal
    require_sms: bool


@dataclass(frozen=True)
class SetRoleArgs:
    user: UserRef
    role: str


def _usage_error(error: CommandSyntaxError, usage: str) -> UsageError:
    return UsageError(f"{error.problem} Usage: {usage}")


def parse_reinvite(text: str, usage: str) -> ReinviteArgs:
    """'@user [mobile|web] [sms]'; only '@user': the modal decides."""
    text = unescape(text)  # Slack sends &, < and > as entities; read them once, here
    try:
        parsed = commands.parse_reinvite(text)
    except CommandSyntaxError as error:
        raise _usage_error(error, usage) from None
    if parsed.require_sms and parsed.kind == "web":
        raise UsageError(f"SMS verification applies to mobile invitations only. Usage: {usage}")
    options_given = len(text.split()) > 1
    return ReinviteArgs(parsed.target, parsed.kind if options_given else None, parsed.require_sms)


def parse_set_role(text: str, usage: str) -> SetRoleArgs:
    """'@user ROLE' (ROLE may be several words: Install Technician)."""
    try:
        parsed = commands.parse_set_role(unescape(text))
    except CommandSyntaxError as error:
        raise _usage_error(error, usage) from None
    return SetRoleArgs(parsed.target, str(parse_role(parsed.role[:40])))


def parse_single_user(text: str, usage: str) -> UserRef:
    """'@user'."""
    try:
        return commands.parse_delete_technician(unescape(text)).target
    except CommandSyntaxError as error:
        raise _usage_error(error, usage) from None


def parse_reset_password(text: str, usage: str) -> UserRef | None:
    """'' (yourself) or '@user'."""
    try:
        return commands.parse_reset_password(text).target
    except CommandSyntaxError as error:
        raise _usage_error(error, usage) from None
