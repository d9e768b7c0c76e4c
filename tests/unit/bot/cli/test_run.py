"""`helpbot run` (what `make run` starts): sets up the database and the demo on first start."""

from __future__ import annotations

from bot.domain.demo import DEMO_USERS


def test_first_start_upgrades_seeds_and_chats_as_the_demo_site_manager(helpbot):
    run = helpbot("run", stdin="/team\n")
    assert run.code == 0
    assert "Set up the database (schema revision 0001)." in run.out
    assert "First start: added a demo team directory" in run.out
    for user in DEMO_USERS:
        assert user.email in run.out
    assert "you are chatting as sam.manager@example.com, the demo Site Manager" in run.out
    assert "Tess Tech" in run.out  # /team answered as the Site Manager


def test_later_starts_keep_the_directory_and_honour_as(helpbot):
    helpbot("run")
    run = helpbot("run", "--as", "tess.tech@example.com", stdin="/team\n")
    assert "First start" not in run.out
    assert "Set up the database" not in run.out
    assert "(chatting as tess.tech@example.com" in run.out
    assert "Only a Site Manager can search the team." in run.out


def test_an_unknown_as_is_refused(helpbot):
    run = helpbot("run", "--as", "stranger@example.com")
    assert run.code == 1
    assert "can't find stranger@example.com" in run.err
