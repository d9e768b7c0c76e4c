"""The database schema's version: upgrade with the packaged Alembic migrations, or check it."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from bot.domain.errors import SchemaOutOfDate

# Package-resource notation, so the migrations are found in an installed package too.
SCRIPT_LOCATION = "bot.domain:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code instead of an alembic.ini file."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this helpbot ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations are packaged"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None if it has no helpbot tables."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database up to `revision`, inside the connection's transaction."""
    command.upgrade(alembic_config(connection), revision)


def check(connection: Connection) -> None:
    """Raise SchemaOutOfDate (naming `helpbot db upgrade`) unless the schema is at head."""
    current = current_revision(connection)
    head = head_revision()
    if current != head:
        raise SchemaOutOfDate(current, head)
