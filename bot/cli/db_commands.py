"""`helpbot db upgrade|status`: the database schema, with the migrations shipped in the package."""

from __future__ import annotations

import argparse

from bot.cli.common import load_services


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `db upgrade` and `db status` to the command line."""
    db = subparsers.add_parser("db", help="create or upgrade the database (DATABASE_URL)")
    commands = db.add_subparsers(dest="db_command", metavar="SUBCOMMAND", required=True)
    upgrade = commands.add_parser(
        "upgrade", help="apply the migrations; safe to run again (the Procfile's release step)"
    )
    upgrade.set_defaults(handler=run_upgrade)
    status = commands.add_parser("status", help="show the schema revision; exit 1 if out of date")
    status.set_defaults(handler=run_status)


def run_upgrade(args: argparse.Namespace) -> int:
    before, after = load_services(args).domain.upgrade_schema()
    if before == after:
        print(f"The database is up to date (revision {after}).")
    else:
        print(f"Upgraded the database from {before or 'empty'} to revision {after}.")
    return 0


def run_status(args: argparse.Namespace) -> int:
    current, head = load_services(args).domain.schema_revision()
    if current == head:
        print(f"The database is up to date (revision {head}).")
        return 0
    print(
        f"The database is at {current or 'no revision (empty)'}; this helpbot needs {head}. "
        "Run `helpbot db upgrade`."
    )
    return 1
