"""Admin commands in the terminal: run a slash command as a directory user; render plain text."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from bot import commands
from bot.cli.common import to_terminal
from bot.commands import (
    CommandSyntaxError,
    DeleteTechnician,
    Help,
    Reinvite,
    ResetPassword,
    SetPrimaryContact,
    SetRole,
    Team,
    UserRef,
)
from bot.domain import ActionResult, Capabilities, TeamPage, UserCard
from bot.services import Services

# Users per /team reply in the terminal (the rest: a narrower search, or `helpbot team list`).
TERMINAL_TEAM_PAGE = 50

# What an FAQ answer's action looks like as a command (the Slack app shows buttons instead).
ACTION_HINTS = {
    "reset_password": ("/reset-password", "email yourself a password reset link"),
    "reinvite": ("/reinvite EMAIL [mobile|web] [sms]", "send someone a new invitation"),
    "set_role": ("/set-role EMAIL install-technician", "change a technician's role"),
    "delete_technician": ("/delete-technician EMAIL", "delete a technician"),
}


def run_command(services: Services, actor_email: str, line: str) -> str:
    """The reply to one slash command; raises CommandSyntaxError or a DomainError."""
    command = commands.parse_command(line)
    domain = services.domain
    result: ActionResult
    match command:
        case Help():
            return format_help()
        case Team(query=query):
            page = domain.team_page(actor_email, query, page_size=TERMINAL_TEAM_PAGE)
            if not page.users:
                return f"Nobody in your team matches {query!r}." if query else "Your team is empty."
            return format_team_page(page, domain.capabilities(actor_email).account)
        case Reinvite(target=target, kind=kind, require_sms=sms):
            result = domain.resend_invitation(
                actor_email, _email(target), kind=kind, require_sms=sms
            )
        case SetRole(target=target, role=role):
            result = domain.change_role(actor_email, _email(target), role)
        case DeleteTechnician(target=target):
            result = domain.delete_technician(actor_email, _email(target))
        case SetPrimaryContact(target=target):
            result = domain.set_primary_contact(actor_email, _email(target))
        case ResetPassword(target=target):
            result = domain.request_password_reset(actor_email, target and _email(target))
    # Send the email now; a failed delivery is retried later and never undoes the change.
    domain.deliver_outbox()
    return format_result(result)


def format_team_page(page: TeamPage, account: str) -> str:
    """The user cards of one /team page, then the true count and how to see the rest."""
    count = f"{page.total} user{'' if page.total == 1 else 's'}"
    lines = [format_cards(page.users), ""]
    if not page.remaining:
        lines.append(f"{count} in {account}.")
        return "\n".join(lines)
    lines.append(
        f"{count} in {account}; these are {page.first}–{page.last}, {page.remaining} more."
    )
    lines.append(
        "Narrow it with /team NAME (name, email or phone), or list everyone with "
        f"`helpbot team list --account {shlex.quote(account)}`."
    )
    return "\n".join(lines)


def format_help() -> str:
    """The list of commands, from bot.commands (the one source of truth)."""
    return "Commands:\n" + _indent(commands.help_text())


def _email(target: UserRef) -> str:
    if target.email is None:
        raise CommandSyntaxError("In the terminal, name people by their email address.")
    return target.email


def format_result(result: ActionResult) -> str:
    """An action's confirmation, warning and the message meant for the person concerned."""
    lines = [result.message]
    if result.warning:
        lines.append(f"Warning: {result.warning}")
    if result.target_message:
        lines.append(f"Message for {result.target.name}: {result.target_message}")
    if result.replayed:
        lines.append("(This repeated an earlier request; nothing was changed again.)")
    return "\n".join(to_terminal(line) for line in lines)


def role_text(card: UserCard) -> str:
    """'Technician, Primary Contact'"""
    return card.role_label + (", Primary Contact" if card.is_primary_contact else "")


def format_cards(cards: Sequence[UserCard], *, show_status: bool = False) -> str:
    """User cards as aligned columns: name, email, role, invitation (and status)."""
    rows = [
        [c.name, c.email, role_text(c), c.phone or "-", c.invitation]
        + ([c.status] if show_status else [])
        for c in cards
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    )


def action_hints(actions: Sequence[str], capabilities: Capabilities, actor_email: str) -> str:
    """For an FAQ answer: the commands this person may use to do it from here."""
    lines = []
    for action in actions:
        if action not in capabilities.actions or action not in ACTION_HINTS:
            continue
        usage, summary = ACTION_HINTS[action]
        if action == "reinvite" and not capabilities.is_site_manager:
            usage, summary = f"/reinvite {actor_email}", "resend yourself a mobile invitation"
        lines.append(f"  {usage}  ({summary})")
    return "You can do this from here:\n" + "\n".join(lines) if lines else ""


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())
