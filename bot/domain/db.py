"""Engines, session factories and the unit of work (one session and transaction per use case)."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

SessionFactory = sessionmaker[Session]

# How long a SQLite writer waits for another one before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000


def database_url(url: str | URL) -> URL:
    """The URL with psycopg 3 as PostgreSQL's driver (plain postgres:// URLs included)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_engine_for(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for DATABASE_URL; SQLite gets WAL, foreign keys and BEGIN IMMEDIATE."""
    parsed = database_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or each thread would see its own empty database.
        kwargs.setdefault("poolclass", StaticPool)
    kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "connect", _sqlite_connect(wal=not in_memory))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(*, wal: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy, not the sqlite3 module, emits BEGIN (see _sqlite_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL is durable across application crashes and much faster.
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Many small checkpoints instead of an occasional 4 MB one that stalls a request
            # (the benchmark's p99 halves).
            cursor.execute("PRAGMA wal_autocheckpoint=100")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    return on_connect


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
    # writes can fail at once with "database is locked" when another writer got in between.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def database_problem(error: BaseException) -> str | None:
    """One line for the operator when `error` means DATABASE_URL is wrong or the database
    can't be reached (None for anything else, which is a bug)."""
    if isinstance(error, ArgumentError):
        return "DATABASE_URL is not a database URL (e.g. sqlite:///helpbot.db or postgresql://…)"
    if isinstance(error, OperationalError | InterfaceError):
        reason = str(error.orig or error).strip().splitlines()[0]
        return f"the database at DATABASE_URL can't be used: {reason}"
    return None


def make_session_factory(engine: Engine) -> SessionFactory:
    """A thread-safe factory of sessions; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


class UnitOfWork:
    """One session for one use case: `commit()` keeps the work, anything else rolls it back."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory
        self._committed = False

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        """Commit the use case's work."""
        self.session.commit()
        self._committed = True
