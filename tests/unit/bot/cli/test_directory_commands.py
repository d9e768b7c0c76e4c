"""`helpbot directory import FILE.csv` and `helpbot team list`."""

from __future__ import annotations

HEADER = "account,name,email,phone,role,primary_contact\n"
GOOD = (
    HEADER + "Acme,Ann Boss,ann@acme.test,+1 555 0100,site-manager,no\n"
    "Acme,Bob Tech,bob@acme.test,,technician,yes\n"
    "Globex,Gia Boss,gia@globex.test,,site manager,no\n"
)


def test_import_then_list(helpbot, tmp_path):
    helpbot("db", "upgrade")
    (tmp_path / "team.csv").write_text(GOOD)
    run = helpbot("directory", "import", "team.csv")
    assert run.code == 0
    assert run.out == (
        "Imported 3 rows from team.csv: 3 created, 0 updated, 0 unchanged, 0 reactivated; "
        "2 new accounts.\n"
    )
    listing = helpbot("team", "list").out.splitlines()
    assert listing[0] == "Acme (2 users)"
    # Too wide for one line a user in 80 columns: name and email, then the rest indented.
    assert listing[1:3] == [
        "  Ann Boss  ann@acme.test",
        "      Site Manager · +1 555 0100 · no invitation yet",
    ]
    assert "Technician, Primary Contact" in listing[4]
    assert listing[5] == "Globex (1 user)"
    assert max(len(line) for line in listing) <= 80
    only = helpbot("team", "list", "--account", "globex").out
    assert "gia@globex.test" in only
    assert "Acme" not in only


def test_a_bad_file_is_reported_line_by_line_and_nothing_is_written(helpbot, tmp_path):
    helpbot("db", "upgrade")
    (tmp_path / "bad.csv").write_text(
        GOOD + "Acme,,x@acme.test,,technician,no\nAcme,Cy,cy@acme.test,call me,chef,no\n"
    )
    run = helpbot("directory", "import", "bad.csv")
    assert run.code == 1
    assert run.out == ""
    assert run.err.splitlines() == [
        "bad.csv:5: the name is empty",
        "bad.csv:6: 'call me' is not a phone number",
        "bad.csv:6: 'chef' is not a role. The roles are: site-manager, technician, "
        "install-technician.",
        "helpbot: 2 bad rows (3 problems); nothing was imported.",
    ]
    assert "directory is empty" in helpbot("team", "list").out


def test_one_row_and_one_account_are_singular(helpbot, tmp_path):
    helpbot("db", "upgrade")
    (tmp_path / "one.csv").write_text(HEADER + "Acme,Ann Boss,ann@acme.test,,site-manager,no\n")
    assert helpbot("directory", "import", "one.csv").out == (
        "Imported 1 row from one.csv: 1 created, 0 updated, 0 unchanged, 0 reactivated; "
        "1 new account.\n"
    )


def test_an_unchanged_file_is_reported_unchanged(helpbot, tmp_path):
    helpbot("db", "upgrade")
    (tmp_path / "team.csv").write_text(GOOD)
    helpbot("directory", "import", "team.csv")
    assert helpbot("directory", "import", "team.csv").out == (
        "Imported 3 rows from team.csv: 0 created, 0 updated, 3 unchanged, 0 reactivated; "
        "0 new accounts.\n"
    )


def test_moving_the_primary_contact_names_the_previous_one(helpbot, tmp_path):
    helpbot("db", "upgrade")
    (tmp_path / "team.csv").write_text(GOOD)
    helpbot("directory", "import", "team.csv")
    (tmp_path / "move.csv").write_text(
        HEADER + "Acme,Ann Boss,ann@acme.test,+1 555 0100,site-manager,yes\n"
        "Acme,Bob Tech,bob@acme.test,,technician,no\n"
    )
    assert helpbot("directory", "import", "move.csv").out.splitlines() == [
        "Imported 2 rows from move.csv: 0 created, 2 updated, 0 unchanged, 0 reactivated; "
        "0 new accounts.",
        "Primary Contact — Acme: Ann Boss instead of Bob Tech.",
    ]


def test_a_file_breaking_a_rule_is_refused_line_by_line(helpbot, tmp_path):
    helpbot("db", "upgrade")
    (tmp_path / "team.csv").write_text(GOOD)
    helpbot("directory", "import", "team.csv")
    before = helpbot("team", "list").out
    (tmp_path / "demote.csv").write_text(HEADER + "Acme,Ann Boss,ann@acme.test,,technician,yes\n")
    run = helpbot("directory", "import", "demote.csv")
    assert run.code == 1
    assert run.out == ""
    [site_manager, primary_contact, summary] = run.err.splitlines()
    assert site_manager.startswith("demote.csv:2: Acme would have no active Site Manager")
    assert primary_contact.startswith(
        "demote.csv:2: Bob Tech (bob@acme.test) is the Primary Contact of Acme"
    )
    assert summary == "helpbot: 1 bad row (2 problems); nothing was imported."
    assert helpbot("team", "list").out == before


def test_unknown_account_and_missing_file(helpbot):
    helpbot("db", "upgrade")
    missing = helpbot("directory", "import", "nope.csv")
    assert missing.code == 1
    assert "can't read nope.csv" in missing.err
    unknown = helpbot("team", "list", "--account", "Nobody")
    assert unknown.code == 1
    assert "Accounts: none yet" in unknown.err


def test_team_list_all_shows_deleted_users(demo):
    demo("ask", "--as", "sam.manager@example.com", "/delete-technician tess.tech@example.com")
    assert "tess.tech" not in demo("team", "list").out
    everyone = demo("team", "list", "--all").out
    assert "tess.tech@example.com" in everyone
    assert "deleted" in everyone
