"""The packaged Alembic migrations create exactly the models' schema; old schemas are refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from bot.domain import Domain, SchemaOutOfDate
from bot.domain.db import create_engine_for, make_session_factory
from bot.domain.orm import Base
from bot.domain.schema import head_revision


def test_the_migrations_match_the_models(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_a_migrated_database_is_current(database):
    domain = Domain(database.session_factory)
    assert domain.schema_is_current()
    domain.check_schema()
    assert domain.upgrade_schema() == (head_revision(), head_revision())


def test_an_empty_database_is_refused_until_upgraded(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'fresh.db'}")
    domain = Domain(make_session_factory(engine))
    try:
        assert not domain.schema_is_current()
        with pytest.raises(SchemaOutOfDate) as refused:
            domain.check_schema()
        assert "helpbot db upgrade" in str(refused.value)
        assert "has no helpbot tables" in str(refused.value)
        assert domain.upgrade_schema() == (None, head_revision())
        domain.check_schema()
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        domain.close()


def test_an_older_revision_is_refused(database):
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    with pytest.raises(SchemaOutOfDate) as refused:
        Domain(database.session_factory).check_schema()
    assert "revision older" in str(refused.value)
    assert "helpbot db upgrade" in str(refused.value)
