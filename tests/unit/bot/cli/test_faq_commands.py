"""`helpbot ask` and `helpbot faq ...` through the real entry point."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from bot.cli import main
from tests.conftest import REPO


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_gives_the_documented_shape(capsys, monkeypatch):
    monkeypatch.setenv("HELPBOT_BASE_URL", "https://help.example.com")
    code, out, _ = run(capsys, "ask", "--json", "I forgot my password")
    result = json.loads(out)
    assert code == 0
    assert set(result) == {"query", "outcome", "entry", "score", "pointer", "alternatives"}
    assert result["outcome"] == "answer"
    assert result["pointer"] is None
    assert result["entry"]["id"] == "forgot-password"
    assert result["entry"]["url"] == "https://help.example.com/faq/forgot-password"
    assert set(result["entry"]) == {"id", "question", "answer", "url"}
    assert all(set(a) == {"id", "question", "score"} for a in result["alternatives"])


def test_ask_json_reads_one_question_a_line_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("invite expired\n\nwhat's for lunch\nhello\n"))
    code, out, _ = run(capsys, "ask", "--json", "-")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r["query"], r["outcome"]) for r in lines] == [
        ("invite expired", "answer"),
        ("what's for lunch", "fallback"),
        ("hello", "smalltalk"),
    ]
    assert lines[1]["entry"] is None


def test_ask_says_where_to_go_for_an_out_of_scope_topic(capsys):
    code, out, _ = run(capsys, "ask", "--json", "how do I reset my VPN password")
    result = json.loads(out)
    assert code == 0
    assert result["outcome"] == "fallback"
    assert "ask IT" in result["pointer"]
    code, out, _ = run(capsys, "ask", "how do I reset my VPN password")
    assert "Sorry, I don't know" in out
    assert "ask IT" in out
    code, out, _ = run(capsys, "ask", "--json", "what is the weather in Paris")
    result = json.loads(out)
    assert (result["outcome"], result["pointer"]) == ("fallback", None)


def test_ask_prints_a_readable_answer(capsys):
    code, out, _ = run(capsys, "ask", "my", "invite", "expired")
    assert code == 0
    assert "*Use a mobile device*" in out
    assert "faq/resend-invitation" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_ask_rejects_a_bad_email(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["ask", "--as", "not-an-email", "hello"])
    assert exit_info.value.code == 2
    assert "not an email address" in capsys.readouterr().err


def test_unknown_subcommand_prints_usage_and_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "usage: helpbot" in capsys.readouterr().err


def test_faq_check_ok_and_broken(capsys, tmp_path):
    code, out, _ = run(capsys, "faq", "check")
    assert code == 0
    assert out.startswith("OK: 5 entries in 3 files")  # two of entries, one of vocabulary
    assert "Derived thresholds: answer at score >= 50" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  question: Q\n  answer: ''\n")
    code, out, err = run(capsys, "faq", "check", str(broken))
    assert code == 1
    assert f"{broken}:1: entry 'x': missing required field 'category'" in err
    assert "Traceback" not in err


def test_broken_knowledge_base_in_the_environment_gives_the_errors(capsys, monkeypatch, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  qestion: Q\n")
    monkeypatch.setenv("HELPBOT_FAQ_PATH", str(broken))
    code, _, err = run(capsys, "ask", "hello")
    assert code == 1
    assert "unknown key 'qestion' (did you mean 'question'?)" in err


def test_faq_eval_prints_figures_and_json(capsys, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n  forgot-password: [forgot my password]\n  none: [pizza time]\n")
    code, out, _ = run(capsys, "faq", "eval", str(cases))
    assert code == 0
    assert "top-1 accuracy 100.0%" in out
    assert "rejection 100.0%" in out
    code, out, _ = run(capsys, "faq", "eval", "--json", str(cases))
    assert json.loads(out)["in_scope_top1_accuracy"] == 100.0
    code, _, err = run(capsys, "faq", "eval", str(tmp_path / "missing.yaml"))
    assert code == 1
    assert "cannot read" in err


def test_faq_show_and_list(capsys, knowledge_base):
    code, out, _ = run(capsys, "faq", "show", "delete-primary-contact")
    assert code == 0
    assert "*Edit Privilege*" in out
    assert "Actions: set_role, delete_technician" in out
    code, _, err = run(capsys, "faq", "show", "nope")
    assert code == 1
    assert "no FAQ entry 'nope'" in err
    code, out, _ = run(capsys, "faq", "list")
    assert "User Management" in out
    assert "forgot-password" in out
    assert max(len(line) for line in out.splitlines()) <= 80  # long questions wrap
    flowing = " ".join(out.split())
    assert all(" ".join(e.question.split()) in flowing for e in knowledge_base)  # nothing cut


def test_python_dash_m_bot_is_the_same_command():
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "forgot my password"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["entry"]["id"] == "forgot-password"
