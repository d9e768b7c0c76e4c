"""Slash commands in `helpbot chat --as` and `helpbot ask --as`, through the same domain."""

from __future__ import annotations

import json
import logging

import pytest

SAM = "sam.manager@example.com"
PAT = "pat.primary@example.com"
TESS = "tess.tech@example.com"
IVAN = "ivan.install@example.com"


def test_ask_runs_a_command_and_prints_the_result(demo, caplog):
    with caplog.at_level(logging.INFO, logger="bot.domain.mail"):
        run = demo("ask", "--as", SAM, f"/reinvite {TESS}")
    assert run.code == 0
    assert run.out.startswith("Sent a new mobile invitation to Tess Tech")
    assert "Message for Tess Tech:" in run.out
    # Without SMTP_URL the email is written to the log, delivered at once.
    assert f"To: {TESS}" in caplog.text
    assert "https://app.example.test/invite/" in caplog.text


def test_ask_refusals_go_to_stderr_with_a_non_zero_exit(demo):
    run = demo("ask", "--as", SAM, f"/delete-technician {PAT}")
    assert run.code == 1
    assert run.out == ""
    assert run.err.startswith("helpbot: Pat Primary is the Primary Contact")
    syntax = demo("ask", "--as", SAM, "/set-role")
    assert (syntax.code, syntax.err) == (
        1,
        "helpbot: Say whom and which role. Usage: /set-role EMAIL ROLE\n",
    )


def test_ask_json_reports_commands_too(demo):
    good = demo("ask", "--json", "--as", SAM, "/team tess")
    assert json.loads(good.out)["ok"] is True
    bad = demo("ask", "--json", "--as", TESS, "/team")
    assert bad.code == 1
    assert json.loads(bad.out) == {
        "command": "/team",
        "ok": False,
        "error": "Only a Site Manager can search the team. Ask one of your Site Managers "
        "(Sam Manager).",
    }


def test_commands_need_a_known_person(demo):
    nobody = demo("ask", "/team")
    assert (nobody.code, nobody.err) == (
        1,
        "helpbot: Commands act for a directory user: add --as EMAIL.\n",
    )
    stranger = demo("ask", "--as", "stranger@example.com", "/team")
    assert stranger.code == 1
    assert "can't find stranger@example.com" in stranger.err


def test_answers_offer_the_commands_this_person_may_use(demo):
    manager = demo("ask", "--as", SAM, "I can't delete a technician who is the primary contact").out
    assert "/set-role EMAIL install-technician" in manager
    assert "/delete-technician EMAIL" in manager
    technician = demo("ask", "--as", TESS, "I forgot my password").out
    assert "/reset-password  (email yourself a password reset link)" in technician
    assert "/set-role" not in demo("ask", "--as", TESS, "delete the primary contact").out


def test_a_chat_session_with_commands(demo):
    lines = "\n".join(
        [
            "/help",
            f"/set-role {PAT} install tech",
            f"/delete-technician {PAT}",
            f"/reinvite {IVAN} web",
            f"/reinvite {IVAN}",
            f"/reinvite {IVAN} web",
            "/team ivan",
            "/reinvite <@U123|ivan>",
            "quit",
        ]
    )
    run = demo("chat", "--as", SAM, stdin=lines)
    assert run.code == 0
    out = run.out
    assert "(chatting as sam.manager@example.com; type /help for the admin commands)" in out
    assert "/reinvite EMAIL [mobile|web] [sms]" in out
    assert "Warning: Pat Primary was the Primary Contact" in out
    assert "Deleted Install Technician Pat Primary" in out
    assert "The first invitation is always a mobile invitation" in out
    assert "Sent a web app invitation to Ivan Install" in out
    assert "web invitation pending" in out
    assert "In the terminal, name people by their email address." in out


def test_a_chat_without_as_explains_how_to_use_commands(demo):
    out = demo("chat", stdin="/team\n/help\n").out
    assert "start the chat with --as EMAIL" in out
    assert "Commands:" in out


@pytest.mark.parametrize("workers", [0, 1, 50, 51, 200])
def test_team_in_the_terminal_states_the_true_count_and_how_to_see_the_rest(
    demo, tmp_path, workers
):
    rows = "".join(
        f"Demo Field Services,Worker {n:03},w{n:03}@example.com,,technician,no\n"
        for n in range(workers)
    )
    (tmp_path / "more.csv").write_text("account,name,email,phone,role,primary_contact\n" + rows)
    assert demo("directory", "import", "more.csv").code == 0
    out = demo("ask", "--as", SAM, "/team worker").out
    listed = [line for line in out.splitlines() if line.startswith("Worker ")]
    assert len(listed) == min(workers, 50)
    if workers == 0:
        assert "Nobody in your team matches 'worker'" in out
    elif workers <= 50:
        assert f"{workers} user{'s' if workers > 1 else ''} in Demo Field Services." in out
    else:
        assert f"{workers} users in Demo Field Services; these are 1–50, {workers - 50} more" in out
        assert "/team NAME" in out
        assert "helpbot team list --account 'Demo Field Services'" in out
