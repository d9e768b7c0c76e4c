"""`helpbot run` (what `make run` starts): sets up the database and the demo on first start."""

from __future__ import annotations

import pytest

from bot.domain.demo import DEMO_USERS


def test_first_start_upgrades_seeds_and_chats_as_the_demo_site_manager(helpbot):
    run = helpbot("run", stdin="/team\n")
    assert run.code == 0
    assert "Set up the database (schema revision 0001)." in run.out
    assert "First start: added a demo team directory" in run.out
    for user in DEMO_USERS:
        assert user.email in run.out
    assert "No --as given: you are sam.manager@example.com, the demo Site Manager." in run.out
    assert "To start the demo afresh, stop helpbot and delete helpbot.db." in run.out
    banner = run.out.split("(chatting as")[0]
    assert max(len(line) for line in banner.splitlines()) <= 80
    assert "Tess Tech" in run.out  # /team answered as the Site Manager


def test_later_starts_keep_the_directory_and_honour_as(helpbot):
    helpbot("run")
    run = helpbot("run", "--as", "tess.tech@example.com", stdin="/team\n")
    assert "First start" not in run.out
    assert "Set up the database" not in run.out
    assert "(chatting as tess.tech@example.com" in run.out
    assert "Only a Site Manager can search the team." in run.out


def test_later_starts_show_the_demo_people_as_they_are_now(helpbot):
    helpbot(
        "run",
        stdin="/reinvite tess.tech@example.com\n/set-role ivan.install@example.com site-manager\n",
    )
    run = helpbot("run", stdin="")
    people = {line.split()[0]: line for line in run.out.splitlines() if line.startswith("  ")}
    assert "mobile invitation pending" in people["tess.tech@example.com"]
    assert "expired" not in people["tess.tech@example.com"]
    assert "Site Manager" in people["ivan.install@example.com"]
    assert "never invited (a web invitation is refused)" not in run.out


def test_a_technician_is_offered_what_a_technician_may_run(helpbot):
    run = helpbot("run", "--as", "tess.tech@example.com", stdin="")
    assert "Try: I forgot my password, /reset-password, /help" in run.out
    assert "/delete-technician" not in run.out


def test_an_unknown_as_is_refused(helpbot):
    run = helpbot("run", "--as", "stranger@example.com")
    assert run.code == 1
    assert "can't find stranger@example.com" in run.err


@pytest.mark.parametrize(
    ("given", "missing"),
    [("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"), ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN")],
)
def test_one_slack_token_alone_is_named_instead_of_starting_the_terminal(
    helpbot, monkeypatch, given, missing
):
    monkeypatch.setenv(given, "xoxb-or-xapp-1")
    run = helpbot("run", stdin="/team\n")
    assert run.code == 2
    assert run.out == ""
    assert run.err.strip() == (
        f"helpbot: {given} is set but {missing} is not: set both to connect to Slack in "
        "Socket Mode, or neither for the terminal chat"
    )


def test_version(helpbot, capsys):
    with pytest.raises(SystemExit) as exit_:
        helpbot("--version")
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == "helpbot 0.1.0"


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (("ask", "--jsn", "hello"), "usage: helpbot ask"),
        (("faq", "check", "--x"), "usage: helpbot faq check"),
    ],
)
def test_an_unknown_option_shows_the_usage_of_its_own_subcommand(helpbot, capsys, argv, usage):
    with pytest.raises(SystemExit) as exit_:
        helpbot(*argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert f"error: unrecognized arguments: {argv[-2] if argv[0] == 'ask' else argv[-1]}" in err
