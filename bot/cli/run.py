"""`helpbot run`: what `make run` starts: Socket Mode with Slack tokens, else the terminal chat."""

from __future__ import annotations

import argparse
import os

from bot.cli.chat import ChatSession, chat_loop
from bot.cli.common import email_argument, load_services, show_logged_emails
from bot.domain.demo import DEMO_SITE_MANAGER, DEMO_USERS
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


def run_bot(args: argparse.Namespace) -> int:
    if os.environ.get("SLACK_BOT_TOKEN") and os.environ.get("SLACK_APP_TOKEN"):
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
    if domain.seed_demo():
        intro.append("First start: added a demo team directory to try the admin commands.")
    if domain.has_demo_directory():
        intro.append("Demo directory: chat as one of these with `helpbot run --as EMAIL`:")
        intro += [f"  {user.email:<26} {user.note}" for user in DEMO_USERS]
        if as_email is None:
            as_email = DEMO_SITE_MANAGER
            intro.append(
                f"No --as given, so you are chatting as {as_email}, the demo Site Manager."
            )
        intro.append(
            "Try: /team, /reinvite tess.tech@example.com, "
            "/delete-technician pat.primary@example.com"
        )
    if as_email is not None:
        domain.identify(as_email)  # an unknown person: main() says whom to ask
        show_logged_emails()
    return as_email, intro
