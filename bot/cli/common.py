"""Helpers shared by the subcommands: settings, services, terminal output."""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import textwrap

from bot.config import Settings
from bot.services import Services, build_services

EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_LIST_ITEM = re.compile(r"^(\s*(?:\d+\.|•|-)\s+)")


class CommandFailed(Exception):
    """An expected failure: the message is shown on stderr and the exit status is set."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def email_argument(value: str) -> str:
    """argparse type for an email address."""
    value = value.strip()
    if not EMAIL.match(value):
        raise argparse.ArgumentTypeError(f"not an email address: {value!r}")
    return value.lower()


def load_services(args: argparse.Namespace) -> Services:
    """Settings from the environment, then every service, on the clock `main` was given."""
    return build_services(Settings.from_env(), clock=args.clock)


def terminal_width() -> int:
    """Width to wrap to: the terminal's, at most 80 columns."""
    return min(shutil.get_terminal_size((80, 24)).columns, 80)


def to_terminal(mrkdwn: str, *, width: int | None = None, indent: str = "") -> str:
    """Slack mrkdwn as readable terminal text: bold kept as *x* or shown bold, lines wrapped."""
    width = width or terminal_width()
    use_ansi = sys.stdout.isatty() and os.environ.get("NO_COLOR") is None
    lines = []
    for line in mrkdwn.splitlines() or [""]:
        bullet = _LIST_ITEM.match(line)
        hanging = indent + " " * (len(bullet.group(1)) if bullet else 0)
        lines.append(
            textwrap.fill(
                line,
                width=width,
                initial_indent=indent,
                subsequent_indent=hanging,
                break_on_hyphens=False,
            )
            or indent
        )
    wrapped = "\n".join(lines)
    return _BOLD.sub("\033[1m\\1\033[0m", wrapped) if use_ansi else wrapped


def load_domain_services(args: argparse.Namespace) -> Services:
    """Services for commands that use the database: refuses an out-of-date schema."""
    services = load_services(args)
    services.domain.check_schema()
    return services


def show_logged_emails() -> None:
    """Without SMTP_URL emails go to the log at INFO; show them even at the default level."""
    logging.getLogger("bot.domain.mail").setLevel(logging.INFO)


def check_actor(services: Services, email: str) -> None:
    """Before acting as someone: the schema is current and they are in the directory."""
    services.domain.check_schema()
    services.domain.identify(email)  # UnknownActor: main() prints whom to ask
    show_logged_emails()
