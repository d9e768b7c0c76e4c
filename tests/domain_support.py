"""Test helpers for the domain: a fake clock, databases to test on, and a standard directory."""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, text

from bot.domain import Domain, MemoryTransport
from bot.domain.db import SessionFactory, create_engine_for, make_session_factory
from bot.domain.model import Role
from bot.domain.orm import Account, Base, Invitation, User
from bot.domain.schema import upgrade
from bot.domain.services import hash_token

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
APP_URL = "https://app.example.test"
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock that stands still until told to move; thread-safe."""

    def __init__(self, now: datetime = START) -> None:
        self._now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        """Move forward by timedelta(**delta); returns the new time."""
        with self._lock:
            self._now += timedelta(**delta)
            return self._now


@dataclass
class Database:
    """A migrated, empty database for one test."""

    name: str
    engine: Engine
    session_factory: SessionFactory
    url: str = ""
    engine_options: dict[str, object] = field(default_factory=dict)

    def another_engine(self) -> Engine:
        """A second, independent engine on the same database (like a second server)."""
        return create_engine_for(self.url, **self.engine_options)

    def empty(self) -> None:
        """Delete every row (DELETE beats TRUNCATE by far on tables this small)."""
        with self.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


def migrated_engine(url: str, **kwargs: object) -> Engine:
    """An engine on `url` with the packaged migrations applied."""
    engine = create_engine_for(url, **kwargs)
    with engine.begin() as connection:
        upgrade(connection)
    return engine


class SqliteTemplate:
    """Migrates one SQLite file per session; each test gets a copy (much faster than migrating)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.db"
        engine = migrated_engine(f"sqlite:///{self.path}")
        engine.dispose()  # closing the last connection checkpoints the WAL into the file

    def copy(self, directory: Path) -> Database:
        """A fresh database file with the schema in place."""
        path = directory / "helpbot-test.db"
        shutil.copyfile(self.path, path)
        url = f"sqlite:///{path}"
        engine = create_engine_for(url)
        return Database("sqlite", engine, make_session_factory(engine), url)


class PostgresSchema:
    """A schema of its own for one test run on the shared server, dropped at the end."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.schema = f"helpbot_test_{uuid.uuid4().hex[:12]}"
        self._admin = create_engine_for(url)
        with self._admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        options = self.engine_options()
        self.engine = migrated_engine(url, **options)
        self.database = Database(
            "postgresql", self.engine, make_session_factory(self.engine), url, options
        )

    def engine_options(self) -> dict[str, object]:
        """Keyword arguments for an engine whose tables live in this run's schema."""
        return {"connect_args": {"options": f"-csearch_path={self.schema}"}}

    def empty(self) -> Database:
        """The database with every table emptied (faster than a new schema per test)."""
        self.database.empty()
        return self.database

    def drop(self) -> None:
        """Drop the schema and close every connection."""
        self.engine.dispose()
        with self._admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        self._admin.dispose()


def make_domain(
    database: Database,
    clock: FakeClock,
    transport: MemoryTransport | None = None,
    **options: object,
) -> Domain:
    """A Domain on the test database with a fake clock and an in-memory mail transport."""
    return Domain(
        database.session_factory,
        clock=clock,
        transport=transport or MemoryTransport(),
        app_url=APP_URL,
        mail_from="helpbot@example.test",
        **options,  # type: ignore[arg-type]
    )


# The standard directory: two accounts; Acme has two Site Managers and a primary contact.
ACME = "Acme Heating"
GLOBEX = "Globex Plumbing"
MIA = "mia.manager@acme.test"
MAX = "max.manager@acme.test"
PIA = "pia.primary@acme.test"
TOM = "tom.tech@acme.test"
TARA = "tara.tech@acme.test"
IAN = "ian.install@acme.test"
NED = "ned.new@acme.test"
GUS = "gus.manager@globex.test"
GAIL = "gail.tech@globex.test"

STANDARD_DIRECTORY = (
    # account, name, email, phone, role, primary contact, has a mobile invitation
    (ACME, "Mia Manager", MIA, "+1 555 0100", Role.SITE_MANAGER, False, True),
    (ACME, "Max Manager", MAX, "+1 555 0101", Role.SITE_MANAGER, False, True),
    (ACME, "Pia Primary", PIA, "+1 555 0102", Role.TECHNICIAN, True, True),
    (ACME, "Tom Tech", TOM, "+1 555 0103", Role.TECHNICIAN, False, True),
    (ACME, "Tara Tech", TARA, "+1 555 0104", Role.TECHNICIAN, False, True),
    (ACME, "Ian Install", IAN, "+1 555 0105", Role.INSTALL_TECHNICIAN, False, True),
    (ACME, "Ned New", NED, None, Role.TECHNICIAN, False, False),
    (GLOBEX, "Gus Manager", GUS, "+1 555 0200", Role.SITE_MANAGER, False, True),
    (GLOBEX, "Gail Tech", GAIL, "+1 555 0201", Role.TECHNICIAN, False, True),
)


def build_directory(
    session_factory: SessionFactory,
    now: datetime,
    rows: tuple[tuple[str, str, str, str | None, Role, bool, bool], ...] = STANDARD_DIRECTORY,
) -> None:
    """Insert accounts and users directly; mobile invitations were sent a day ago."""
    with session_factory() as session:
        accounts: dict[str, Account] = {}
        for account, name, email, phone, role, primary, invited in rows:
            if account not in accounts:
                accounts[account] = Account(name=account, created_at=now)
            user = User(
                account=accounts[account],
                email=email,
                name=name,
                phone=phone,
                role=role.value,
                is_primary_contact=primary,
                status="active",
                created_at=now,
                updated_at=now,
            )
            session.add(user)
            if invited:
                session.flush()
                session.add(
                    Invitation(
                        user_id=user.id,
                        kind="mobile",
                        require_sms=False,
                        token_hash=hash_token(secrets.token_urlsafe(16)),
                        sent_by="setup",
                        sent_at=now - timedelta(days=1),
                        expires_at=now + timedelta(days=6),
                    )
                )
        session.commit()


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released at the same moment; each result or raised exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
