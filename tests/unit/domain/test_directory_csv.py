"""Parsing a directory CSV (no database): rows, friendly values, and precise problems."""

from __future__ import annotations

import pytest

from bot.domain import DirectoryFileInvalid, Role
from bot.domain.directory import parse_directory_csv

HEADER = "account,name,email,phone,role,primary_contact\n"


def test_rows_are_parsed_and_normalised():
    [row] = parse_directory_csv(
        HEADER + 'Acme , "Smith, Ann", Ann@Acme.TEST , +44 (0)20 7946 0000 , Install Tech , \n'
    )
    assert (row.line, row.account, row.name, row.email, row.phone, row.role) == (
        2,
        "Acme",
        "Smith, Ann",
        "ann@acme.test",
        "+44 (0)20 7946 0000",
        Role.INSTALL_TECHNICIAN,
    )
    assert row.primary_contact is False


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("Y", True), ("no", False)])
def test_primary_contact_is_yes_or_no(text, value):
    [row] = parse_directory_csv(HEADER + f"A,B,b@a.test,,technician,{text}\n")
    assert row.primary_contact is value


def test_line_numbers_count_quoted_newlines():
    text = HEADER + 'A,"Two\nLines",t@a.test,,technician,no\nA,,x@a.test,,technician,no\n'
    with pytest.raises(DirectoryFileInvalid) as refused:
        parse_directory_csv(text)
    assert refused.value.problems == ((4, "the name is empty"),)


def test_the_message_lists_each_problem():
    with pytest.raises(DirectoryFileInvalid) as refused:
        parse_directory_csv(HEADER + "A,B,bad,,technician,no\nA,C,c@a.test,,chef,no\n")
    message = refused.value.user_message
    assert message.startswith("2 bad rows in the file; nothing was imported.")
    assert "line 2: 'bad' is not an email address" in message
    assert "line 3: 'chef' is not a role" in message


def test_a_bad_row_reports_every_problem_it_has():
    with pytest.raises(DirectoryFileInvalid) as refused:
        parse_directory_csv(HEADER + ",,bad,call me,chef,maybe\n")
    assert refused.value.problems == (
        (2, "the account is empty"),
        (2, "the name is empty"),
        (2, "'bad' is not an email address"),
        (2, "'call me' is not a phone number"),
        (2, "'chef' is not a role. The roles are: site-manager, technician, install-technician."),
        (2, "primary_contact must be yes or no, got 'maybe'"),
    )


def test_an_install_technician_primary_contact_is_reported_with_the_rows_other_problems():
    with pytest.raises(DirectoryFileInvalid) as refused:
        parse_directory_csv(HEADER + "A,Ivy,ivy@a.test,call me,install-technician,yes\n")
    reasons = [reason for _, reason in refused.value.problems]
    assert reasons[0] == "'call me' is not a phone number"
    assert "Install Technician, who can't be the Primary Contact" in reasons[1]


def test_a_duplicate_email_is_reported_with_the_rows_other_problems():
    with pytest.raises(DirectoryFileInvalid) as refused:
        parse_directory_csv(
            HEADER + "A,Ann,ann@a.test,,site-manager,no\nA,,ANN@a.test,,site-manager,no\n"
        )
    assert refused.value.problems == (
        (3, "the name is empty"),
        (3, "ann@a.test is already on line 2"),
    )


def test_a_refusal_counts_bad_rows_and_problems_separately():
    with pytest.raises(DirectoryFileInvalid) as refused:
        parse_directory_csv(HEADER + "A,,bad,,technician,no\n")
    assert refused.value.user_message.startswith(
        "1 bad row (2 problems) in the file; nothing was imported."
    )
