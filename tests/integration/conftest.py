"""Fixtures: every test here runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.domain import Domain, MemoryTransport
from tests.domain_support import (
    TEST_DATABASE_URL,
    Database,
    FakeClock,
    PostgresSchema,
    SqliteTemplate,
    build_directory,
    make_domain,
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[PostgresSchema]:
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    schema = PostgresSchema(TEST_DATABASE_URL)
    try:
        yield schema
    finally:
        schema.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = request.getfixturevalue("sqlite_template").copy(tmp_path)
        yield database
        database.engine.dispose()
    else:
        yield request.getfixturevalue("postgres_schema").empty()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def transport() -> MemoryTransport:
    return MemoryTransport()


@pytest.fixture
def domain(database: Database, clock: FakeClock, transport: MemoryTransport) -> Domain:
    """A Domain over the standard directory (see tests.domain_support)."""
    build_directory(database.session_factory, clock())
    return make_domain(database, clock, transport)
