"""A unit of work keeps its changes only when committed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.db import UnitOfWork
from bot.domain.orm import Account
from tests.domain_support import START


def names(factory) -> list[str]:
    with factory() as session:
        return list(session.scalars(select(Account.name)))


def fail_half_way(factory) -> None:
    with UnitOfWork(factory) as uow:
        uow.session.add(Account(name="Failed", created_at=START))
        uow.session.flush()
        raise RuntimeError


def test_changes_are_rolled_back_unless_committed(memory_database):
    factory = memory_database.session_factory
    with UnitOfWork(factory) as uow:
        uow.session.add(Account(name="Forgotten", created_at=START))
        uow.session.flush()
    with pytest.raises(RuntimeError):
        fail_half_way(factory)
    with UnitOfWork(factory) as uow:
        uow.session.add(Account(name="Kept", created_at=START))
        uow.commit()
    assert names(factory) == ["Kept"]
