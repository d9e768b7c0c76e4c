"""Real concurrency: threads (and processes) racing on one database; the rules still hold.

Run on SQLite (writers serialised by BEGIN IMMEDIATE) and on PostgreSQL (row locks, unique
constraints), where the interleavings are real. Each race is repeated to give them a chance.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.domain import (
    ActionResult,
    Domain,
    MemoryTransport,
    NotATechnician,
    PrimaryContactCannotBeDeleted,
    RateLimited,
    UserNotFound,
)
from bot.domain.db import make_session_factory
from bot.domain.orm import Invitation, User
from tests.domain_support import (
    ACME,
    MAX,
    MIA,
    PIA,
    TOM,
    Database,
    FakeClock,
    build_directory,
    make_domain,
    run_together,
)

ROUNDS = 8


@pytest.fixture
def fresh(database: Database, clock: FakeClock):
    """Returns a function giving a Domain over a freshly built standard directory."""

    def again(**options: object) -> Domain:
        database.empty()
        build_directory(database.session_factory, clock())
        return make_domain(database, clock, MemoryTransport(), **options)

    return again


def user(database: Database, email: str) -> User:
    with database.session_factory() as session:
        return session.scalars(select(User).where(User.email == email)).one()


def kinds(results: list[object]) -> Counter[str]:
    return Counter(type(r).__name__ for r in results)


def test_demoting_and_deleting_the_primary_contact_at_once(fresh, database):
    for _ in range(ROUNDS):
        domain = fresh()
        demoted, deleted = run_together(
            lambda d=domain: d.change_role(MIA, PIA, "install-technician"),
            lambda d=domain: d.delete_technician(MAX, PIA),
        )
        assert isinstance(demoted, ActionResult)
        assert isinstance(deleted, ActionResult | PrimaryContactCannotBeDeleted)
        pia = user(database, PIA)
        assert not pia.is_primary_contact
        assert pia.role == "install-technician"
        # Deleted only if the demotion came first; never a deleted primary contact.
        assert (pia.status == "deleted") == isinstance(deleted, ActionResult)


def test_promoting_and_deleting_a_technician_at_once(fresh, database):
    for _ in range(ROUNDS):
        domain = fresh()
        promoted, deleted = run_together(
            lambda d=domain: d.change_role(MIA, TOM, "site-manager"),
            lambda d=domain: d.delete_technician(MAX, TOM),
        )
        tom = user(database, TOM)
        if isinstance(promoted, ActionResult):
            assert isinstance(deleted, NotATechnician)
            assert (tom.role, tom.status) == ("site-manager", "active")
        else:
            assert isinstance(promoted, UserNotFound)
            assert isinstance(deleted, ActionResult)
            assert (tom.role, tom.status) == ("technician", "deleted")


def site_managers(database: Database) -> int:
    with database.session_factory() as session:
        return session.scalar(
            select(func.count(User.id))
            .join(User.account)
            .where(User.role == "site-manager", User.status == "active")
            .where(User.account.has(name=ACME))
        )


def test_two_site_managers_demoting_each_other_leave_one(fresh, database):
    for _ in range(ROUNDS):
        domain = fresh()
        results = run_together(
            lambda d=domain: d.change_role(MIA, MAX, "technician"),
            lambda d=domain: d.change_role(MAX, MIA, "technician"),
        )
        # The second finds, under the lock, that its actor is no longer a Site Manager.
        assert kinds(results) == {"ActionResult": 1, "NotASiteManager": 1}
        assert site_managers(database) == 1


def test_two_site_managers_stepping_down_at_once_leave_one(fresh, database):
    for _ in range(ROUNDS):
        domain = fresh()
        results = run_together(
            lambda d=domain: d.change_role(MIA, MIA, "technician"),
            lambda d=domain: d.change_role(MAX, MAX, "technician"),
        )
        assert kinds(results) == {"ActionResult": 1, "WouldLeaveNoSiteManager": 1}
        assert site_managers(database) == 1


def test_one_reinvite_delivered_twice_with_one_key_sends_one_email(fresh, database, clock):
    for round_number in range(ROUNDS):
        domain = fresh()
        before = count_invitations(database)
        # Two server instances, each with its own engine, get the same Slack retry.
        second = second_instance(database, clock)
        key = f"Ev{round_number}-reinvite"
        results = run_together(
            lambda d=domain, k=key: d.resend_invitation(MIA, TOM, idempotency_key=k),
            lambda d=second, k=key: d.resend_invitation(MIA, TOM, idempotency_key=k),
        )
        assert all(isinstance(r, ActionResult) for r in results)
        assert sorted(r.replayed for r in results) == [False, True]
        assert results[0].message == results[1].message
        assert count_invitations(database) == before + 1
        sent = run_together(domain.deliver_outbox, second.deliver_outbox)
        assert sum(sent) == 1
        assert len(domain.transport.sent) + len(second.transport.sent) == 1
        second.close()


def test_concurrent_invitations_respect_the_hourly_limit(fresh, database):
    domain = fresh(invitation_limit_per_hour=3)
    results = run_together(*[lambda: domain.resend_invitation(MIA, TOM) for _ in range(6)])
    assert kinds(results) == {"ActionResult": 3, "RateLimited": 3}
    assert all(isinstance(r, ActionResult | RateLimited) for r in results)


def test_a_delivery_key_is_claimed_once_across_instances(fresh, database, clock):
    domain = fresh()
    second = second_instance(database, clock)
    for round_number in range(ROUNDS):
        key = f"Ev{round_number}"
        claims = run_together(
            *[lambda d=d, k=key: d.claim_delivery(k) for d in [domain, second] * 3]
        )
        assert claims.count(True) == 1
        assert claims.count(False) == 5
    second.close()


def test_two_relays_deliver_each_email_once(fresh, database, clock):
    domain = fresh()
    for email in (TOM, PIA, MAX):
        domain.resend_invitation(MIA, email)
        domain.request_password_reset(MIA, email)
    second = second_instance(database, clock)
    sent = run_together(*[d.deliver_outbox for d in [domain, second] * 2])
    assert sum(sent) == 6
    recipients = [m["To"] for m in domain.transport.sent + second.transport.sent]
    assert sorted(recipients) == sorted([TOM, PIA, MAX] * 2)
    second.close()


def claim_in_another_process(url: str, options: dict, now, keys: list[str], wins) -> None:
    from bot.domain.db import create_engine_for

    # The test's clock, not the machine's: claims are pruned by age, so two clocks disagree.
    domain = Domain(make_session_factory(create_engine_for(url, **options)), clock=FakeClock(now))
    wins.put([key for key in keys if domain.claim_delivery(key)])
    domain.close()


def test_a_delivery_key_is_claimed_once_across_processes(fresh, database, clock):
    domain = fresh()
    keys = [f"Ev{n}" for n in range(40)]
    context = multiprocessing.get_context("spawn")
    wins = context.Queue()
    processes = [
        context.Process(
            target=claim_in_another_process,
            args=(database.url, database.engine_options, clock(), keys, wins),
        )
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    here = [key for key in keys if domain.claim_delivery(key)]
    there = [wins.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(60)
    everyone = here + there[0] + there[1]
    assert sorted(everyone) == sorted(keys), "each key won exactly once"


def count_invitations(database: Database) -> int:
    with database.session_factory() as session:
        return session.scalar(select(func.count(Invitation.id)))


def second_instance(database: Database, clock: FakeClock) -> Domain:
    """Another server on the same database: its own engine, connections and mail transport."""
    return make_domain(
        Database(database.name, engine := database.another_engine(), make_session_factory(engine)),
        clock,
    )
