"""The `helpbot` command line: one parser, a module per group of subcommands."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import datetime
from importlib.metadata import version

from bot.cli import audit_commands, chat, db_commands, directory_commands, faq_commands, run, serve
from bot.cli.common import LOG_FORMAT, CommandFailed
from bot.config import ConfigError, log_level_from_env
from bot.domain import Clock, DomainError, SchemaOutOfDate, system_clock
from bot.domain.db import database_problem
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
    parser.add_argument("--version", action="version", version=f"helpbot {version('helpbot')}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock = system_clock) -> int:
    """Run one subcommand on `clock` (the domain's, for every command); returns the exit status."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # Said by the subcommand's own parser, so the usage shown is the one that helps.
        _subcommand_parser(parser, sys.argv[1:] if argv is None else list(argv)).error(
            f"unrecognized arguments: {' '.join(unknown)}"
        )
    args.clock = clock
    try:
        configured = log_level_from_env()  # the whole process's level, gunicorn's too
    except ConfigError as exc:
        print(f"helpbot: {exc}", file=sys.stderr)
        return 2
    level = (args.log_level or configured or getattr(args, "default_log_level", "WARNING")).upper()
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING),
        format=LOG_FORMAT,
        stream=sys.stderr,
    )
    if level != "DEBUG":
        # Alembic says "Context impl SQLiteImpl." at INFO on every start: noise to operators;
        # `helpbot db upgrade` reports what it did itself.
        logging.getLogger("alembic").setLevel(logging.WARNING)
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
        if (problem := database_problem(exc)) is not None:
            log.debug("database error", exc_info=exc)
            print(f"helpbot: {problem}", file=sys.stderr)
            return 2
        return _report_crash(exc)


def _subcommand_parser(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.ArgumentParser:
    """The deepest parser the words of `argv` name (`helpbot faq check` → check's)."""
    current = parser
    for word in argv:
        actions = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        if not actions or word not in actions[0].choices:
            continue
        current = actions[0].choices[word]
    return current


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
