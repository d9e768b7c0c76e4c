"""Unit-test fixtures: an in-memory SQLite database with the standard directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.domain import Domain, MemoryTransport
from bot.domain.db import make_session_factory
from tests.domain_support import Database, FakeClock, build_directory, make_domain, migrated_engine


@pytest.fixture
def memory_database() -> Iterator[Database]:
    engine = migrated_engine("sqlite://")
    yield Database("sqlite-memory", engine, make_session_factory(engine))
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def transport() -> MemoryTransport:
    return MemoryTransport()


@pytest.fixture
def domain(memory_database, clock, transport) -> Domain:
    build_directory(memory_database.session_factory, clock())
    return make_domain(memory_database, clock, transport)
