"""`helpbot audit`: every attempt at an action, allowed, denied or failed."""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime, timedelta

from bot.cli.common import email_argument, load_domain_services

_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str) -> datetime | timedelta:
    """'2026-11-27', '2026-11-27T14:00', '2026-11-27 14:00+01:00', or how long ago: '30m', '2h',
    '7d', '1w' (a timedelta, resolved on the domain's clock so that one clock decides)."""
    text = text.strip()
    if relative := _RELATIVE.match(text.lower()):
        amount, unit = relative.groups()
        return timedelta(**{_UNITS[unit]: int(amount)})
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a time: {text!r} (use e.g. 2026-11-27, 2026-11-27T14:00, 2h or 7d)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `audit` to the command line."""
    audit = subparsers.add_parser(
        "audit", help="show the audit log (oldest first)", description=__doc__
    )
    audit.add_argument("--json", action="store_true", help="one JSON object a line")
    audit.add_argument(
        "--since", type=parse_since, metavar="WHEN", help="from a date/time (UTC) or 2h, 7d ago"
    )
    audit.add_argument("--actor", type=email_argument, metavar="EMAIL", help="only this person")
    audit.set_defaults(handler=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    entries = load_domain_services(args).domain.audit_log(since=args.since, actor_email=args.actor)
    for entry in entries:
        if args.json:
            print(json.dumps(entry.as_json(), ensure_ascii=False))
        else:
            at = entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
            print(
                f"{at}  {entry.outcome:<6}  {entry.actor}  {entry.action}  {entry.target or '-'}"
                f"\n    {entry.detail}"
            )
    return 0
