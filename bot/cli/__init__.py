"""The `helpbot` command line: one parser, a module per group of subcommands."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import datetime

from bot.cli import audit_commands, chat, db_commands, directory_commands, faq_commands, run, serve
from bot.cli.common import CommandFailed
from bot.config import ConfigError, log_level_from_env
from bot.domain import Clock, DomainError, SchemaOutOfDate, system_clock
from faq import KnowledgeBaseInvalid

# Each module adds its subcommands with `register(subparsers)`; the order is the help order.
COMMAND_MODULES = (faq_commands, chat, run, serve, db_commands, directory_commands, audit_commands)

log = logging.getLogger("bot.cli")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="helpbot",
        description="helpbot: answers SMB-app user-management questions; runs admin actions.",
    )
    parser.add_argument(
        "--log-level",
        default=None,
        help="DEBUG, INFO, WARNING… (default HELPBOT_LOG_LEVEL, else INFO for the servers and "
        "WARNING for the rest)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock = system_clock) -> int:
    """Run one subcommand on `clock` (the domain's, for every command); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.clock = clock
    try:
        configured = log_level_from_env()  # the whole process's level, gunicorn's too
    except ConfigError as exc:
        print(f"helpbot: {exc}", file=sys.stderr)
        return 2
    level = (args.log_level or configured or getattr(args, "default_log_level", "WARNING")).upper()
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args) or 0)
    except CommandFailed as exc:
        print(f"helpbot: {exc}", file=sys.stderr)
        return exc.exit_code
    except KnowledgeBaseInvalid as exc:
        print(exc, file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"helpbot: {exc}", file=sys.stderr)
        return 2
    except SchemaOutOfDate as exc:
        print(f"helpbot: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"helpbot: {exc.user_message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`helpbot ask - | head`): stop quietly, as Unix tools do.
        sys.stderr.close()
        return 141
    except Exception as exc:
        return _report_crash(exc)


def _report_crash(exc: Exception) -> int:
    # The person at the terminal gets one line; the traceback goes to a file and the log.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"helpbot-crash-{stamp}-", suffix=".log", delete=False
    ) as crash_file:
        crash_file.write(traceback.format_exc())
    log.debug("unexpected error", exc_info=exc)
    print(
        f"helpbot: sorry, something went wrong ({type(exc).__name__}). "
        f"Details are in {crash_file.name}",
        file=sys.stderr,
    )
    return 1
