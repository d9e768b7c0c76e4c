"""Time each domain service call on SQLite with 10,000 users; every p99 must be <= 20 ms.

Usage: python benchmarks/domain_bench.py [--users 10000] [--calls 300] [--database FILE]
The directory has 60 accounts: one of 2,000 users (searches scan a big account) and 59 of about
135; 50,000 audit events already exist. Every call is a full use case: its own unit of work,
authorisation, the change, the audit event and the commit (SQLite in WAL mode on a file).
Prints p50/p95/p99/max per call and exits 1 if any p99 is over the budget.
"""

from __future__ import annotations

import argparse
import itertools
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.domain import Domain, MemoryTransport
from bot.domain.db import create_engine_for, make_session_factory
from bot.domain.orm import Account, AuditEvent, Invitation, User
from bot.domain.services import hash_token

BUDGET_MS = 20.0
BIG_ACCOUNT_USERS = 2_000
ACCOUNTS = 60
AUDIT_EVENTS = 50_000
NAMES = ["Smith", "Jones", "Garcia", "Brown", "Miller", "Davis", "Lopez", "Wilson", "Moore"]


def populate(domain: Domain, engine, users: int) -> dict[str, list[str]]:
    """Bulk-insert the directory; returns emails by kind for the benchmark to act on."""
    now = datetime.now(UTC)
    sizes = [BIG_ACCOUNT_USERS] + [
        (users - BIG_ACCOUNT_USERS) // (ACCOUNTS - 1) + (1 if n < (users - BIG_ACCOUNT_USERS)
                                                          % (ACCOUNTS - 1) else 0)
        for n in range(ACCOUNTS - 1)
    ]  # fmt: skip
    with engine.begin() as connection:
        connection.execute(
            insert(Account), [{"name": f"Account {n:02}", "created_at": now} for n in range(60)]
        )
        account_ids = list(connection.scalars(select(Account.id).order_by(Account.id)))
        rows = []
        for account_id, size in zip(account_ids, sizes, strict=True):
            for n in range(size):
                role = (
                    "site-manager"
                    if n < 3
                    else "install-technician"
                    if n % 7 == 0
                    else "technician"
                )
                rows.append(
                    {
                        "account_id": account_id,
                        "email": f"user{account_id:02}.{n:04}@example.test",
                        "name": f"{NAMES[n % len(NAMES)]} {n:04}",
                        "phone": f"+1 555 {account_id:02}{n:04}",
                        "role": role,
                        "is_primary_contact": n == 3,
                        "status": "active",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        connection.execute(insert(User), rows)
        user_ids = list(connection.scalars(select(User.id).order_by(User.id)))
        connection.execute(
            insert(Invitation),
            [
                {
                    "user_id": user_id,
                    "kind": "mobile",
                    "require_sms": False,
                    "token_hash": hash_token(secrets.token_urlsafe(8)),
                    "sent_by": "setup",
                    "sent_at": now - timedelta(days=2),
                    "expires_at": now + timedelta(days=5),
                }
                for user_id in user_ids[::2]
            ],
        )
        connection.execute(
            insert(AuditEvent),
            [
                {
                    "at": now - timedelta(minutes=n),
                    "actor": f"user{1 + n % 60:02}.0000@example.test",
                    "actor_account_id": account_ids[n % 60],
                    "action": "reinvite",
                    "target": f"user{1 + n % 60:02}.{n % 100:04}@example.test",
                    "target_account_id": account_ids[n % 60],
                    "parameters": "{}",
                    "outcome": "ok",
                    "detail": "seeded",
                }
                for n in range(AUDIT_EVENTS)
            ],
        )
    big = account_ids[0]
    emails = [f"user{big:02}.{n:04}@example.test" for n in range(BIG_ACCOUNT_USERS)]
    return {
        "manager": [emails[0]],
        "other_managers": emails[1:3],
        "primary": [emails[3]],
        "technicians": [e for n, e in enumerate(emails) if n > 3 and n % 7 != 0],
        # Every other user was given a mobile invitation, so a web one is allowed.
        "invited": [e for n, e in enumerate(emails) if n > 3 and n % 7 != 0 and n % 2 == 0],
        "installers": [e for n, e in enumerate(emails) if n > 3 and n % 7 == 0],
    }


def measure(call: Callable[[], object], times: int) -> list[float]:
    """Milliseconds per call."""
    for _ in range(5):
        call()  # warm caches and connections
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--database", type=Path, help="SQLite file (default: a temporary one)")
    args = parser.parse_args()

    directory = tempfile.TemporaryDirectory(prefix="helpbot-bench-")
    path = args.database or Path(directory.name) / "bench.db"
    engine = create_engine_for(f"sqlite:///{path}")
    transport = MemoryTransport()
    domain = Domain(
        make_session_factory(engine),
        transport=transport,
        app_url="https://app.example.test",
        # Each target gets at most a few emails here; the limits stay at their defaults.
    )
    domain.upgrade_schema()
    setup = time.perf_counter()
    people = populate(domain, engine, args.users)
    print(
        f"SQLite {path}: {args.users:,} users in {ACCOUNTS} accounts "
        f"(largest {BIG_ACCOUNT_USERS:,}), {AUDIT_EVENTS:,} audit events; "
        f"set up in {time.perf_counter() - setup:.1f} s; {args.calls} calls each.",
        flush=True,
    )
    manager = people["manager"][0]
    technicians = itertools.cycle(people["technicians"])
    # Actions that change a user each need their own target, so they are never repeated.
    fresh = iter(people["technicians"][::-1])
    installers = itertools.cycle(people["installers"])
    invited = itertools.cycle(people["invited"])
    counter = itertools.count()

    calls: dict[str, Callable[[], object]] = {
        "identify": lambda: domain.identify(next(technicians), slack_user_id="U0BENCH"),
        "capabilities": lambda: domain.capabilities(manager),
        "get_user_card": lambda: domain.get_user_card(manager, next(technicians)),
        "find_users (search 2,000)": lambda: domain.find_users(manager, "smith 01"),
        "find_users (first 20)": lambda: domain.find_users(manager),
        "resend_invitation mobile": lambda: domain.resend_invitation(manager, next(technicians)),
        "resend_invitation web": lambda: domain.resend_invitation(
            manager, next(invited), kind="web"
        ),
        "resend_invitation replayed": lambda: domain.resend_invitation(
            manager, people["primary"][0], idempotency_key="bench-replay"
        ),
        "request_password_reset": lambda: domain.request_password_reset(next(installers)),
        "change_role": lambda: domain.change_role(manager, next(fresh), "install-technician"),
        "set_primary_contact": lambda: domain.set_primary_contact(manager, next(fresh)),
        "delete_technician": lambda: domain.delete_technician(manager, next(fresh)),
        "recent_audit": lambda: domain.recent_audit(manager),
        "record_feedback": lambda: domain.record_feedback(
            f"U{next(counter) % 500}", "forgot-password", True
        ),
        "claim_delivery": lambda: domain.claim_delivery(f"Ev{next(counter)}"),
        "deliver_outbox (1 email)": lambda: domain.deliver_outbox(limit=1),
    }
    width = max(len(name) for name in calls)
    print(f"{'call':<{width}}  {'p50':>6}  {'p95':>6}  {'p99':>6}  {'max':>6}  (ms)")
    over = []
    for name, call in calls.items():
        samples = measure(call, args.calls)
        p99 = percentile(samples, 0.99)
        print(
            f"{name:<{width}}  {statistics.median(samples):6.2f}  {percentile(samples, 0.95):6.2f}"
            f"  {p99:6.2f}  {max(samples):6.2f}",
            flush=True,
        )
        if p99 > BUDGET_MS:
            over.append(name)
    domain.close()
    directory.cleanup()
    if over:
        print(f"Over the {BUDGET_MS:g} ms p99 budget: {', '.join(over)}")
        return 1
    print(f"Every call's p99 is within {BUDGET_MS:g} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
