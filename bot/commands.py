"""Admin text commands (/reinvite, /set-role…) parsed into primitives; no Slack, no database.

The terminal chat, `helpbot ask` and the Slack slash commands share these parsers and this one
list of commands, so usage and help text have a single source. A person is named by email, or,
in Slack, by a mention (`<@U123|pat>`), which Slack resolves to an email through the API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.text import is_email, unsafe_character_problem

# Enough for a mention or <mailto:…> of the longest email (320) plus options; longer text is
# refused before any parsing.
MAX_ARGUMENTS = 1000
_MAILTO = re.compile(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")

INVITATION_KINDS = ("mobile", "web")


class CommandSyntaxError(ValueError):
    """The command text is malformed; the message says how to write it."""

    def __init__(self, problem: str, usage: str | None = None) -> None:
        self.problem = problem
        self.usage = usage
        super().__init__(f"{problem} Usage: {usage}" if usage else problem)


@dataclass(frozen=True, slots=True)
class UserRef:
    """Whom a command is about: an email, or a Slack user id still to be looked up."""

    email: str | None = None
    slack_user_id: str | None = None

    def __str__(self) -> str:
        return self.email or f"<@{self.slack_user_id}>"


@dataclass(frozen=True, slots=True)
class Reinvite:
    """/reinvite EMAIL [mobile|web] [sms]"""

    target: UserRef
    kind: str = "mobile"
    require_sms: bool = False


@dataclass(frozen=True, slots=True)
class SetRole:
    """/set-role EMAIL ROLE (the domain parses the role's spelling)."""

    target: UserRef
    role: str


@dataclass(frozen=True, slots=True)
class DeleteTechnician:
    """/delete-technician EMAIL"""

    target: UserRef


@dataclass(frozen=True, slots=True)
class SetPrimaryContact:
    """/set-primary-contact EMAIL"""

    target: UserRef


@dataclass(frozen=True, slots=True)
class ResetPassword:
    """/reset-password [EMAIL]: for yourself when no one is named."""

    target: UserRef | None = None


@dataclass(frozen=True, slots=True)
class Team:
    """/team [search]"""

    query: str = ""


@dataclass(frozen=True, slots=True)
class Help:
    """/help"""


Command = Reinvite | SetRole | DeleteTechnician | SetPrimaryContact | ResetPassword | Team | Help


def parse_person(token: str, usage: str | None = None) -> UserRef:
    """An email, a Slack-escaped email (<mailto:…>) or a Slack mention (<@U123|name>)."""
    token = token.strip()
    if mention := _MENTION.match(token):
        return UserRef(slack_user_id=mention.group(1))
    if mailto := _MAILTO.match(token):
        token = mailto.group(1)
    if is_email(token):
        return UserRef(email=token.lower())
    raise CommandSyntaxError(f"{token!r} is not an email address or a Slack mention.", usage)


def check_arguments(text: str, usage: str | None = None) -> None:
    """CommandSyntaxError if the text is too long or holds control characters or surrogates."""
    if len(text) > MAX_ARGUMENTS:
        raise CommandSyntaxError(
            f"That is {len(text):,} characters long; a command takes at most {MAX_ARGUMENTS:,}.",
            usage,
        )
    if (problem := unsafe_character_problem(text)) is not None:
        raise CommandSyntaxError(problem, usage)


def _words(text: str, usage: str | None = None) -> list[str]:
    check_arguments(text, usage)
    return text.split()


def _one_person(usage: str) -> Callable[[str], UserRef]:
    def parse(text: str) -> UserRef:
        words = _words(text, usage)
        if not words:
            raise CommandSyntaxError("Say whom you mean.", usage)
        if len(words) > 1:
            raise CommandSyntaxError(f"Unexpected {' '.join(words[1:])!r}.", usage)
        return parse_person(words[0], usage)

    return parse


def parse_reinvite(text: str) -> Reinvite:
    """'EMAIL [mobile|web] [sms]' in any order after the person."""
    usage = REINVITE.usage
    words = _words(text, usage)
    if not words:
        raise CommandSyntaxError("Say whom to invite.", usage)
    target = parse_person(words[0], usage)
    kind: str | None = None
    sms = False
    for word in words[1:]:
        option = word.lower().lstrip("-")
        if option in INVITATION_KINDS:
            if kind is not None and kind != option:
                raise CommandSyntaxError("Choose mobile or web, not both.", usage)
            kind = option
        elif option in ("sms", "require-sms"):
            sms = True
        else:
            raise CommandSyntaxError(f"Unknown option {word!r}: use mobile, web or sms.", usage)
    return Reinvite(target, kind or "mobile", sms)


def parse_set_role(text: str) -> SetRole:
    """'EMAIL ROLE', where the role may be several words ('install technician')."""
    usage = SET_ROLE.usage
    words = _words(text, usage)
    if len(words) < 2:
        raise CommandSyntaxError("Say whom and which role.", usage)
    return SetRole(parse_person(words[0], usage), " ".join(words[1:]))


def parse_delete_technician(text: str) -> DeleteTechnician:
    """'EMAIL'"""
    return DeleteTechnician(_one_person(DELETE_TECHNICIAN.usage)(text))


def parse_set_primary_contact(text: str) -> SetPrimaryContact:
    """'EMAIL'"""
    return SetPrimaryContact(_one_person(SET_PRIMARY_CONTACT.usage)(text))


def parse_reset_password(text: str) -> ResetPassword:
    """'' for yourself, or 'EMAIL' (Site Managers, for someone of their account)."""
    return ResetPassword(_one_person(RESET_PASSWORD.usage)(text) if text.strip() else None)


def parse_team(text: str) -> Team:
    """Any search words, or none for everyone."""
    return Team(" ".join(_words(text, TEAM.usage)))


def parse_help(text: str) -> Help:
    """Any text is ignored."""
    return Help()


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: its name, usage line, one-line summary and parser of its arguments."""

    name: str
    usage: str
    summary: str
    parse: Callable[[str], Command]


REINVITE = CommandSpec(
    "/reinvite",
    "/reinvite EMAIL [mobile|web] [sms]",
    "send a new invitation (mobile by default; sms requires SMS verification)",
    parse_reinvite,
)
SET_ROLE = CommandSpec(
    "/set-role",
    "/set-role EMAIL ROLE",
    "change a role: site-manager, technician or install-technician",
    parse_set_role,
)
DELETE_TECHNICIAN = CommandSpec(
    "/delete-technician",
    "/delete-technician EMAIL",
    "delete a technician (not the Primary Contact)",
    parse_delete_technician,
)
SET_PRIMARY_CONTACT = CommandSpec(
    "/set-primary-contact",
    "/set-primary-contact EMAIL",
    "make someone the account's Primary Contact",
    parse_set_primary_contact,
)
RESET_PASSWORD = CommandSpec(
    "/reset-password",
    "/reset-password [EMAIL]",
    "email a password reset link (to yourself when no one is named)",
    parse_reset_password,
)
TEAM = CommandSpec("/team", "/team [search]", "list or search your team", parse_team)
HELP = CommandSpec("/help", "/help", "list these commands", parse_help)

COMMANDS = (REINVITE, SET_ROLE, DELETE_TECHNICIAN, SET_PRIMARY_CONTACT, RESET_PASSWORD, TEAM, HELP)
BY_NAME = {spec.name: spec for spec in COMMANDS}


def is_command(line: str) -> bool:
    """True if the line is a slash command rather than a question."""
    return line.lstrip().startswith("/")


def parse_command(line: str) -> Command:
    """'/reinvite pat@example.com web' -> Reinvite(...); CommandSyntaxError if malformed."""
    name, _, arguments = line.strip().partition(" ")
    spec = BY_NAME.get(name.lower())
    if spec is None:
        known = ", ".join(s.name for s in COMMANDS)
        raise CommandSyntaxError(f"I don't know the command {name!r}. The commands are: {known}.")
    return spec.parse(arguments)


def help_text() -> str:
    """One line per command: usage and summary."""
    width = max(len(spec.usage) for spec in COMMANDS)
    return "\n".join(f"{spec.usage:<{width}}  {spec.summary}" for spec in COMMANDS)
