"""The text-command parser shared by the terminal and Slack: primitives and clear errors."""

from __future__ import annotations

import pytest

from bot.commands import (
    COMMANDS,
    CommandSyntaxError,
    DeleteTechnician,
    Help,
    Reinvite,
    ResetPassword,
    SetPrimaryContact,
    SetRole,
    Team,
    UserRef,
    help_text,
    is_command,
    parse_command,
    parse_person,
)

PAT = UserRef(email="pat@example.com")


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("/reinvite pat@example.com", Reinvite(PAT)),
        ("/reinvite Pat@Example.com web", Reinvite(PAT, "web")),
        ("/reinvite pat@example.com sms", Reinvite(PAT, "mobile", True)),
        ("/reinvite pat@example.com SMS Mobile", Reinvite(PAT, "mobile", True)),
        ("/reinvite pat@example.com web sms", Reinvite(PAT, "web", True)),
        ("/set-role pat@example.com install technician", SetRole(PAT, "install technician")),
        ("/set-role pat@example.com Site-Manager", SetRole(PAT, "Site-Manager")),
        ("/delete-technician pat@example.com", DeleteTechnician(PAT)),
        ("/set-primary-contact pat@example.com", SetPrimaryContact(PAT)),
        ("/reset-password", ResetPassword()),
        ("/reset-password pat@example.com", ResetPassword(PAT)),
        ("/team", Team()),
        ("/team  tom   tech ", Team("tom tech")),
        ("/help", Help()),
        ("  /TEAM x", Team("x")),
    ],
)
def test_commands_become_primitives(line, command):
    assert parse_command(line) == command


def test_slack_mentions_and_escaped_emails_are_understood():
    assert parse_person("<@U123ABC|pat>") == UserRef(slack_user_id="U123ABC")
    assert parse_person("<@W42>") == UserRef(slack_user_id="W42")
    assert parse_person("<mailto:Pat@Example.com|Pat@Example.com>") == PAT
    assert str(UserRef(slack_user_id="U1")) == "<@U1>"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("/reinvite", "Say whom to invite."),
        ("/reinvite pat", "'pat' is not an email address or a Slack mention."),
        ("/reinvite pat@example.com mobile web", "Choose mobile or web, not both."),
        ("/reinvite pat@example.com email", "Unknown option 'email': use mobile, web or sms."),
        ("/set-role pat@example.com", "Say whom and which role."),
        ("/delete-technician", "Say whom you mean."),
        ("/delete-technician a@b.test c@d.test", "Unexpected 'c@d.test'."),
        ("/reset-password <!channel>", "'<!channel>' is not an email address or a Slack mention."),
    ],
)
def test_malformed_commands_say_how_to_write_them(line, problem):
    with pytest.raises(CommandSyntaxError) as refused:
        parse_command(line)
    assert refused.value.problem == problem
    assert str(refused.value).startswith(problem)
    assert "Usage: /" in str(refused.value)


def test_unknown_commands_list_the_known_ones():
    with pytest.raises(CommandSyntaxError, match="/reinvite, /set-role"):
        parse_command("/frobnicate")


def test_help_comes_from_the_command_list():
    text = help_text()
    assert [line.split()[0] for line in text.splitlines()] == [c.name for c in COMMANDS]
    assert "/reinvite EMAIL [mobile|web] [sms]" in text


def test_only_slash_lines_are_commands():
    assert is_command(" /team")
    assert not is_command("how do I reset my password?")


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("/set-role someone\x00@acme.test technician", "U+0000"),
        ("/reinvite pat\ud800@example.com", "U+D800"),
        ("/delete-technician pat@exa\x1bmple.com", "U+001B"),
        ("/team pat\x7f", "U+007F"),
    ],
)
def test_control_characters_and_surrogates_are_refused_by_name(line, named):
    with pytest.raises(CommandSyntaxError) as refused:
        parse_command(line)
    assert "control character" in refused.value.problem
    assert named in refused.value.problem
    assert refused.value.problem.isprintable()


def test_an_overlong_argument_is_refused_with_the_limit():
    with pytest.raises(CommandSyntaxError) as refused:
        parse_command("/set-role a@" + "." * 40_000 + "@ technician")
    assert "40,0" in refused.value.problem
    assert "at most 1,000" in refused.value.problem


def test_email_checks_take_one_pass_over_any_input():
    from bot.text import is_email

    # The old regex backtracked quadratically: this took minutes (40,000 characters: 11 s).
    assert not is_email("a@" + "." * 1_000_000 + "@")
    assert not is_email("a@" + "a." * 500_000 + " ")
    assert is_email("a@" + "b." * 100 + "c")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pat@example.com", True),
        ("pat@example", False),
        ("pat@.com", False),
        ("pat@example.", False),
        ("pat@@example.com", False),
        ("@example.com", False),
        ("pat @example.com", False),
        ("p<at@example.com", False),
        ("p|at@example.com", False),
        ("o'brien+x@example.co.uk", True),
        ("a&b@example.com", True),
    ],
)
def test_is_email(text, expected):
    from bot.text import is_email

    assert is_email(text) is expected
