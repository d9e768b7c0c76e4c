"""`helpbot run`: what `make run` starts: Socket Mode with Slack tokens, else the terminal chat."""

from __future__ import annotations

import argparse
import os
import textwrap

from bot.cli.chat import ChatSession, chat_loop
from bot.cli.common import email_argument, load_services, show_logged_emails
from bot.config import ConfigError
from bot.domain.demo import DEMO_SITE_MANAGER, DEMO_USERS
from bot.domain.model import Role
from bot.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `run` to the command line."""
    run = subparsers.add_parser(
        "run", help="start helpbot: Slack (Socket Mode) if tokens are set, else the terminal chat"
    )
    run.add_argument(
        "--as",
        dest="as_email",
        type=email_argument,
        metavar="EMAIL",
        help="for the terminal chat: chat as this directory user (default: the demo Site "
        "Manager, when the demo directory is there)",
    )
    run.set_defaults(handler=run_bot)


SLACK_TOKENS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")


def run_bot(args: argparse.Namespace) -> int:
    """Slack when both tokens are set, the terminal chat when neither is; one alone is a
    mistake to name, not a reason to start the terminal quietly."""
    given = [name for name in SLACK_TOKENS if os.environ.get(name, "").strip()]
    if len(given) == 1:
        [missing] = [name for name in SLACK_TOKENS if name not in given]
        raise ConfigError(
            f"{given[0]} is set but {missing} is not: set both to connect to Slack in Socket "
            "Mode, or neither for the terminal chat"
        )
    if given:
        # Slack in Socket Mode; like the terminal chat, set up the database on first start.
        from bot.cli.serve import run_socket

        services = load_services(args)
        services.domain.upgrade_schema()
        return run_socket(services=services)
    services = load_services(args)
    as_email, intro = prepare_local_directory(services, args.as_email)
    return chat_loop(ChatSession(services, as_email), intro=intro)


def prepare_local_directory(
    services: Services, as_email: str | None
) -> tuple[str | None, list[str]]:
    """Upgrade the database, seed the demo on first start; returns who to chat as and tips."""
    domain = services.domain
    before, after = domain.upgrade_schema()
    intro = [] if before == after else [f"Set up the database (schema revision {after})."]
    first_start = domain.seed_demo()
    if first_start:
        intro.append("First start: added a demo team directory to try the admin commands.")
    if domain.has_demo_directory():
        intro.append("Demo directory: chat as one of these with `helpbot run --as EMAIL`:")
        intro += demo_people(services, first_start)
        if as_email is None:
            as_email = DEMO_SITE_MANAGER
            intro.append(f"No --as given: you are {as_email}, the demo Site Manager.")
        intro += try_lines(services, as_email)
        intro.append("To start the demo afresh, stop helpbot and delete helpbot.db.")
    if as_email is not None:
        domain.identify(as_email)  # an unknown person: main() says whom to ask
        show_logged_emails()
    return as_email, [line for text in intro for line in _wrapped(text)]


def demo_people(services: Services, first_start: bool) -> list[str]:
    """The demo people: what each is good for on first start, later how they are now (the
    directory changes as people try the commands, so yesterday's notes would be wrong)."""
    if first_start:
        return [f"  {user.email:<26} {user.note}" for user in DEMO_USERS]
    cards = {card.email: card for card in services.domain.directory(include_deleted=True)}
    lines = []
    for user in DEMO_USERS:
        card = cards.get(user.email)
        if card is None:
            continue
        if card.status != "active":
            now = card.status
        else:
            primary = ", Primary Contact" if card.is_primary_contact else ""
            now = f"{card.role_label}{primary}; {card.invitation}"
        lines.append(f"  {user.email:<26} {now}")
    return lines


def try_lines(services: Services, as_email: str) -> list[str]:
    """Commands worth trying that this person may run."""
    card = next((c for c in services.domain.directory() if c.email == as_email), None)
    if card is not None and card.role == Role.SITE_MANAGER.value:
        return [
            "Try: /team, /reinvite tess.tech@example.com, "
            "/delete-technician pat.primary@example.com"
        ]
    return ["Try: I forgot my password, /reset-password, /help"]


def _wrapped(text: str) -> list[str]:
    # The terminal is 80 columns; a person's line wraps under its description.
    indent = " " * 29 if text.startswith("  ") else "  "
    return textwrap.wrap(text, width=80, subsequent_indent=indent, break_on_hyphens=False) or [""]
