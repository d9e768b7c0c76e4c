"""`helpbot run`: what `make run` starts: Socket Mode with Slack tokens, else the terminal chat."""

from __future__ import annotations

import argparse
import os

from bot.cli.chat import ChatSession, chat_loop
from bot.cli.common import email_argument, load_services


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
        help="for the terminal chat: chat as this directory user",
    )
    run.set_defaults(handler=run_bot)


def run_bot(args: argparse.Namespace) -> int:
    if os.environ.get("SLACK_BOT_TOKEN") and os.environ.get("SLACK_APP_TOKEN"):
        from bot.cli.serve import run_socket

        return run_socket()
    return chat_loop(ChatSession(load_services(), args.as_email))
