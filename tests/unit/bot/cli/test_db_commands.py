"""`helpbot db upgrade|status`, and commands refusing an out-of-date database."""

from __future__ import annotations


def test_upgrade_creates_the_schema_and_is_safe_to_repeat(helpbot, tmp_path):
    status = helpbot("db", "status")
    assert status.code == 1
    assert "Run `helpbot db upgrade`" in status.out
    first = helpbot("db", "upgrade")
    assert (first.code, first.out) == (0, "Upgraded the database from empty to revision 0001.\n")
    assert helpbot("db", "upgrade").out == "The database is up to date (revision 0001).\n"
    assert helpbot("db", "status").code == 0
    assert (tmp_path / "helpbot.db").exists()


def test_commands_needing_the_database_refuse_an_old_schema(helpbot):
    for args in (("team", "list"), ("audit",), ("ask", "--as", "a@b.test", "/team")):
        run = helpbot(*args)
        assert run.code == 2, args
        assert "Run `helpbot db upgrade`" in run.err


def test_faq_commands_need_no_database(helpbot, tmp_path):
    assert helpbot("ask", "I forgot my password").code == 0
    assert not (tmp_path / "helpbot.db").exists()
