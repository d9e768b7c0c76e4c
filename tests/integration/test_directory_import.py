"""`helpbot directory import`: upsert by email, all or nothing, every bad row reported."""

from __future__ import annotations

import pytest

from bot.domain import DirectoryFileInvalid, directory
from tests.domain_support import make_domain

HEADER = "account,name,email,phone,role,primary_contact\n"
GOOD = (
    HEADER + "Acme,Ann Boss,ann@acme.test,+1 555 0100,Site Manager,no\n"
    "Acme,Bob Tech,BOB@acme.test,,technician,yes\n"
    "Acme,Cy Install,cy@acme.test,555-0102,install_technician,no\n"
    "Globex,Gia Boss,gia@globex.test,,site-manager,no\n"
)


@pytest.fixture
def empty_domain(database, clock, transport):
    return make_domain(database, clock, transport)


def test_a_good_file_creates_accounts_and_users(empty_domain):
    summary = empty_domain.import_directory(GOOD)
    assert (summary.rows, summary.created, summary.updated, summary.accounts_created) == (
        4,
        4,
        0,
        2,
    )
    cards = {c.email: c for c in empty_domain.directory()}
    assert set(cards) == {"ann@acme.test", "bob@acme.test", "cy@acme.test", "gia@globex.test"}
    assert cards["bob@acme.test"].is_primary_contact
    assert cards["cy@acme.test"].role == "install-technician"
    assert cards["ann@acme.test"].phone == "+1 555 0100"
    entry = empty_domain.audit_log()[-1]
    assert (entry.action, entry.outcome) == ("directory_import", "ok")


def test_importing_again_updates_by_email_and_moves_the_primary_contact(empty_domain):
    empty_domain.import_directory(GOOD)
    summary = empty_domain.import_directory(
        HEADER + "acme,Ann Boss-Smith,ann@acme.test,,site-manager,yes\n"
        "Acme,Bob Tech,bob@acme.test,,technician,no\n"
    )
    assert (summary.created, summary.updated, summary.accounts_created) == (0, 2, 0)
    cards = {c.email: c for c in empty_domain.directory(account="ACME")}
    assert cards["ann@acme.test"].name == "Ann Boss-Smith"
    assert cards["ann@acme.test"].is_primary_contact
    assert not cards["bob@acme.test"].is_primary_contact
    assert {c.account for c in empty_domain.directory(account="acme")} == {"Acme"}


def test_a_deleted_user_in_the_file_comes_back(empty_domain):
    empty_domain.import_directory(GOOD)
    empty_domain.delete_technician("ann@acme.test", "cy@acme.test")
    assert "cy@acme.test" not in {c.email for c in empty_domain.directory()}
    summary = empty_domain.import_directory(
        HEADER + "Acme,Cy Install,cy@acme.test,,install-technician,no\n"
    )
    assert summary.reactivated == 1
    assert "cy@acme.test" in {c.email for c in empty_domain.directory()}


def test_a_bad_file_reports_every_bad_row_and_writes_nothing(empty_domain):
    empty_domain.import_directory(GOOD)
    before = empty_domain.directory()
    bad = (
        HEADER + "Acme,Ann Renamed,ann@acme.test,,site-manager,no\n"  # fine on its own
        ",No Account,x@acme.test,,technician,no\n"
        "Acme,,y@acme.test,,technician,no\n"
        "Acme,Zed,not-an-email,,technician,no\n"
        "Acme,Zed,zed@acme.test,call me,technician,no\n"
        "Acme,Zed,zed2@acme.test,,boss,no\n"
        "Acme,Zed,zed3@acme.test,,technician,maybe\n"
        "Acme,Zed,zed4@acme.test,,install technician,yes\n"
        "Acme,Ann Again,ANN@acme.test,,site-manager,no\n"
        "Acme,Too,few\n"
        "Globex,P1,p1@globex.test,,technician,yes\n"
        "Globex,P2,p2@globex.test,,technician,yes\n"
    )
    with pytest.raises(DirectoryFileInvalid) as refused:
        empty_domain.import_directory(bad)
    assert [line for line, _ in refused.value.problems] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 13]
    reasons = dict(refused.value.problems)
    assert reasons[3] == "the account is empty"
    assert reasons[4] == "the name is empty"
    assert "not an email address" in reasons[5]
    assert "not a phone number" in reasons[6]
    assert "site-manager, technician, install-technician" in reasons[7]
    assert "yes or no" in reasons[8]
    assert "Install Technician, who can't be the Primary Contact" in reasons[9]
    assert reasons[10] == "ann@acme.test is already on line 2"
    assert reasons[11] == "expected 6 columns, got 3"
    assert "already has a primary contact on line 12" in reasons[13]
    assert "nothing was imported" in refused.value.user_message
    assert empty_domain.directory() == before
    assert empty_domain.audit_log()[-1].outcome == "error"


def test_a_failure_while_writing_leaves_nothing_behind(empty_domain, monkeypatch):
    real_import = directory.import_rows

    def import_then_fail(*args, **kwargs):
        real_import(*args, **kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(directory, "import_rows", import_then_fail)
    with pytest.raises(RuntimeError):
        empty_domain.import_directory(GOOD)
    assert empty_domain.directory() == []
    assert empty_domain.account_names() == []
    entry = empty_domain.audit_log()[-1]
    assert (entry.outcome, entry.detail) == ("error", "unexpected error: RuntimeError")


def test_overlong_values_are_reported(empty_domain):
    with pytest.raises(DirectoryFileInvalid) as refused:
        empty_domain.import_directory(HEADER + f"Acme,{'N' * 201},n@acme.test,,technician,no\n")
    assert refused.value.problems == ((2, "the name is longer than 200 characters"),)


@pytest.mark.parametrize(
    "text",
    ["", "name,email\nAnn,ann@acme.test\n", "account,name,email,phone,role\n"],
    ids=["empty", "wrong-columns", "missing-column"],
)
def test_a_file_without_the_header_is_refused(empty_domain, text):
    with pytest.raises(DirectoryFileInvalid) as refused:
        empty_domain.import_directory(text)
    [(line, reason)] = refused.value.problems
    assert line == 1
    assert "account,name,email,phone,role,primary_contact" in reason


def test_a_byte_order_mark_and_blank_lines_are_fine(empty_domain):
    assert empty_domain.import_directory("\ufeff" + GOOD + "\n,,,,,\n").rows == 4


def refusal(domain, text: str, *, outcome: str = "denied") -> tuple[tuple[int, str], ...]:
    """The problems of a refused import, after checking that it changed nothing."""
    before = domain.directory(include_deleted=True)
    with pytest.raises(DirectoryFileInvalid) as refused:
        domain.import_directory(text)
    assert domain.directory(include_deleted=True) == before
    assert domain.audit_log()[-1].outcome == outcome
    return refused.value.problems


def test_demoting_the_only_site_manager_is_refused(empty_domain):
    empty_domain.import_directory(GOOD)
    [(line, reason)] = refusal(
        empty_domain, HEADER + "Acme,Ann Boss,ann@acme.test,,technician,no\n"
    )
    assert line == 2
    assert "Acme would have no active Site Manager" in reason


def test_moving_the_only_site_manager_to_another_account_is_refused(empty_domain):
    empty_domain.import_directory(GOOD)
    [(line, reason)] = refusal(
        empty_domain, HEADER + "Globex,Ann Boss,ann@acme.test,,site-manager,no\n"
    )
    assert line == 2
    assert "Acme would have no active Site Manager" in reason


def test_a_new_account_without_a_site_manager_is_refused(empty_domain):
    [(line, reason)] = refusal(
        empty_domain, HEADER + "Initech,Ian Tech,ian@initech.test,,technician,no\n"
    )
    assert line == 2
    assert "Initech would have no active Site Manager" in reason


def test_a_file_that_hands_the_site_manager_role_over_is_imported(empty_domain):
    empty_domain.import_directory(GOOD)
    summary = empty_domain.import_directory(
        HEADER + "Acme,Ann Boss,ann@acme.test,,technician,no\n"
        "Acme,Cy Install,cy@acme.test,,site-manager,no\n"
    )
    assert summary.updated == 2
    roles = {c.email: c.role for c in empty_domain.directory(account="Acme")}
    assert roles["cy@acme.test"] == "site-manager"


def test_a_second_primary_contact_is_refused(empty_domain):
    empty_domain.import_directory(GOOD)
    [(line, reason)] = refusal(
        empty_domain, HEADER + "Acme,Ann Boss,ann@acme.test,,site-manager,yes\n"
    )
    assert line == 2
    assert "Bob Tech (bob@acme.test) is the Primary Contact of Acme" in reason
    assert "add bob@acme.test's row with primary_contact no" in reason


def test_moving_the_primary_contact_explicitly_names_the_previous_one(empty_domain):
    empty_domain.import_directory(GOOD)
    summary = empty_domain.import_directory(
        HEADER + "Acme,Ann Boss,ann@acme.test,+1 555 0100,site-manager,yes\n"
        "Acme,Bob Tech,bob@acme.test,,technician,no\n"
    )
    assert summary.primary_contact_changes == ("Acme: Ann Boss instead of Bob Tech",)
    cards = {c.email: c for c in empty_domain.directory(account="Acme")}
    assert cards["ann@acme.test"].is_primary_contact
    assert not cards["bob@acme.test"].is_primary_contact


def test_an_install_technician_primary_contact_is_refused(empty_domain):
    [(line, reason)] = refusal(
        empty_domain,
        HEADER + "Acme,Ann Boss,ann@acme.test,,site-manager,no\n"
        "Acme,Ivy,ivy@acme.test,,install-technician,yes\n",
        outcome="error",
    )
    assert line == 3
    assert "Install Technician, who can't be the Primary Contact" in reason


def test_reimporting_an_unchanged_file_changes_nothing(empty_domain, clock):
    empty_domain.import_directory(GOOD)
    clock.advance(minutes=5)
    summary = empty_domain.import_directory(GOOD)
    assert (summary.created, summary.updated, summary.unchanged, summary.reactivated) == (
        0,
        0,
        4,
        0,
    )
    assert summary.changes == ()
    assert "0 updated, 4 unchanged" in empty_domain.audit_log()[-1].detail


def test_the_audit_lists_who_changed_from_what_to_what(empty_domain):
    empty_domain.import_directory(GOOD)
    empty_domain.import_directory(
        HEADER + "Acme,Ann Boss-Smith,ann@acme.test,,site-manager,yes\n"
        "Acme,Bob Tech,bob@acme.test,,site-manager,no\n"
    )
    detail = empty_domain.audit_log()[-1].detail
    assert "ann@acme.test: name Ann Boss → Ann Boss-Smith" in detail
    assert "ann@acme.test: phone +1 555 0100 → none" in detail
    assert "ann@acme.test: primary contact no → yes" in detail
    assert "bob@acme.test: role technician → site-manager" in detail
    assert "bob@acme.test: primary contact yes → no" in detail


def test_the_audit_names_the_first_changes_and_counts_the_rest(empty_domain):
    people = "".join(f"Acme,P{n},p{n:02}@acme.test,,technician,no\n" for n in range(30))
    empty_domain.import_directory(GOOD + people)
    detail = empty_domain.audit_log()[-1].detail
    assert "ann@acme.test: created in Acme as site-manager" in detail
    assert detail.count(": created in ") == 20
    assert detail.endswith("and 14 more changes.")
