"""Alembic migrations of helpbot's database, shipped inside the package (see bot.domain.schema)."""
