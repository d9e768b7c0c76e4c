"""Alembic environment: migrates the connection handed over by bot.domain.schema."""

from __future__ import annotations

from alembic import context

from bot.domain.db import create_engine_for
from bot.domain.orm import Base

config = context.config


def run_migrations() -> None:
    """Run the migrations on the given connection, or on one to the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine_for(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them; batch mode does that for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("helpbot migrations run online only: use `helpbot db upgrade`")
run_migrations()
