"""`Domain.team_page`: the true number of matches, whatever the page size or the search cap."""

from __future__ import annotations

import pytest

from bot.domain.model import Role
from tests.domain_support import build_directory

BOSS = "boss@big.test"


def big_account(database, clock, workers: int) -> None:
    rows = [("Big", "Bea Boss", BOSS, None, Role.SITE_MANAGER, False, True)]
    rows += [
        ("Big", f"Worker {n:03}", f"w{n:03}@big.test", None, Role.TECHNICIAN, False, True)
        for n in range(workers)
    ]
    build_directory(database.session_factory, clock(), tuple(rows))


@pytest.mark.parametrize("workers", [0, 1, 50, 51, 200])
def test_team_page_counts_every_match(domain, database, clock, workers):
    big_account(database, clock, workers)
    emails = [f"w{n:03}@big.test" for n in range(workers)]
    seen, offset = [], 0
    while True:
        page = domain.team_page(BOSS, "worker", offset=offset, page_size=20)
        assert page.total == workers
        assert page.offset == offset
        seen += [card.email for card in page.users]
        if not page.remaining:
            break
        assert len(page.users) == 20
        offset = page.last
    assert seen == emails
    everyone = domain.team_page(BOSS, page_size=100)
    assert everyone.total == workers + 1  # the Site Manager too
    assert len(everyone.users) == min(workers + 1, 100)
    assert everyone.remaining == max(0, workers + 1 - 100)


def test_team_page_past_the_end_shows_the_last_users(domain, database, clock):
    big_account(database, clock, 30)
    page = domain.team_page(BOSS, "worker", offset=45, page_size=20)
    assert (page.total, page.first, page.last) == (30, 11, 30)
    empty = domain.team_page(BOSS, "nobody", offset=20)
    assert (empty.total, empty.users, empty.first) == (0, (), 0)
