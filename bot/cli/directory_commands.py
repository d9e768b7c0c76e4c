"""`helpbot directory import FILE.csv` and `helpbot team list`: the team directory."""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from bot.cli.admin import format_cards
from bot.cli.common import CommandFailed, load_domain_services
from bot.domain import DirectoryFileInvalid


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `directory import` and `team list` to the command line."""
    directory = subparsers.add_parser("directory", help="load the team directory from a CSV file")
    commands = directory.add_subparsers(dest="directory_command", metavar="SUBCOMMAND")
    commands.required = True
    load = commands.add_parser(
        "import",
        help="upsert users by email, all or nothing",
        description="Header: account,name,email,phone,role,primary_contact. Role: site-manager, "
        "technician or install-technician; primary_contact: yes or no. Every bad row is "
        "reported with its line number, and nothing is written unless every row is good.",
    )
    load.add_argument("file", type=Path, metavar="FILE.csv")
    load.set_defaults(handler=run_import)

    team = subparsers.add_parser("team", help="show the team directory")
    team_commands = team.add_subparsers(dest="team_command", metavar="SUBCOMMAND", required=True)
    listing = team_commands.add_parser("list", help="list users by account")
    listing.add_argument("--account", metavar="NAME", help="only this account")
    listing.add_argument("--all", action="store_true", help="include deleted users")
    listing.set_defaults(handler=run_team_list)


def run_import(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandFailed(f"can't read {args.file}: {exc}") from None
    domain = load_domain_services(args).domain
    try:
        summary = domain.import_directory(text)
    except DirectoryFileInvalid as exc:
        count = len(exc.problems)
        raise CommandFailed(
            "\n".join(f"{args.file}:{line}: {reason}" for line, reason in exc.problems)
            + f"\n{count} bad row{'s' if count != 1 else ''}; nothing was imported."
        ) from None
    print(
        f"Imported {summary.rows} rows from {args.file}: {summary.created} created, "
        f"{summary.updated} updated, {summary.reactivated} reactivated; "
        f"{summary.accounts_created} new accounts."
    )
    return 0


def run_team_list(args: argparse.Namespace) -> int:
    domain = load_domain_services(args).domain
    cards = domain.directory(account=args.account, include_deleted=args.all)
    if not cards:
        if args.account:
            known = ", ".join(domain.account_names()) or "none yet"
            raise CommandFailed(f"no users in account {args.account!r}. Accounts: {known}")
        print("The directory is empty: load it with `helpbot directory import FILE.csv`.")
        return 0
    for account, group in itertools.groupby(cards, key=lambda card: card.account):
        members = list(group)
        print(f"{account} ({len(members)} user{'s' if len(members) != 1 else ''})")
        for line in format_cards(members, show_status=args.all).splitlines():
            print(f"  {line}")
    return 0
