"""The terminal chat: answers, numbered did-you-mean choices, fallback, quitting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.cli.chat import ChatSession, chat_loop, chosen_number
from bot.config import Settings
from bot.services import build_services
from tests.conftest import REPO


def session():
    return ChatSession(build_services(Settings.from_env({})))


def test_answer_then_clarify_then_pick_by_number():
    chat = session()
    assert "*Forgot your password*" in chat.handle("forgot my password")
    reply = chat.handle("phone")
    assert "Did you mean" in reply
    assert "1. " in reply
    assert "2. " in reply
    picked = chat.handle("2")
    assert "More: http://localhost:3000/faq/" in picked
    assert "Pick a number" not in picked
    assert "Pick a number" not in chat.handle("7")  # choices are gone: 7 is a question now


def test_number_out_of_range_asks_again():
    chat = session()
    chat.handle("phone")
    assert chat.handle("9").startswith("Pick a number from 1 to")


def test_fallback_and_smalltalk():
    chat = session()
    assert "don't know" in chat.handle("how do I book a meeting room")
    assert chat.handle("thanks!").startswith("You're welcome")
    assert chat.handle("   ") == ""


def test_loop_reads_until_quit_and_wraps_to_80_columns():
    lines = iter(["my invite expired", "quit", "never read"])
    written: list[str] = []
    assert chat_loop(session(), read=lambda _prompt: next(lines), write=written.append) == 0
    assert any("Use a mobile device" in text for text in written)
    assert all(len(line) <= 80 for text in written for line in text.splitlines())


def test_loop_ends_at_end_of_input():
    def read(_prompt):
        raise EOFError

    assert chat_loop(session(), read=read, write=lambda _text: None) == 0


def test_helpbot_run_without_slack_tokens_is_the_terminal_chat(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="forgot my password\nquit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "*Forgot your password*" in done.stdout


@pytest.mark.parametrize(
    ("reply", "choices", "picked"),
    [
        ("2", 3, 2),
        ("2.", 3, 2),
        ("#2", 3, 2),
        ("(2)", 3, 2),
        ("number 2", 3, 2),
        ("the second one", 3, 2),
        ("Second", 3, 2),
        ("the last one", 3, 3),
        ("yes", 1, 1),
        ("yes please", 1, 1),
        ("ok, that one", 1, 1),
        ("9", 3, 9),  # out of range: the chat asks again
        ("yes", 2, None),  # which one?
        ("no", 1, None),
        ("2fa code", 3, None),
        ("I forgot my password", 3, None),
    ],
)
def test_a_did_you_mean_is_answered_in_the_ways_people_answer(reply, choices, picked):
    assert chosen_number(reply, choices) == picked


def test_yes_to_a_single_did_you_mean_shows_that_answer(knowledge_base):
    chat = session()
    entry = knowledge_base.get("forgot-password")
    chat._choices = (entry,)  # as a one-choice "Did you mean" leaves it
    reply = chat.handle("yes please")
    assert entry.question.split()[0] in reply
    assert "More: http://localhost:3000/faq/forgot-password" in reply


def test_help_in_the_terminal_describes_the_terminal():
    reply = session().handle("help")
    assert "/help lists the admin commands" in reply
    assert "answer with a number" in reply
    assert "/faq" not in reply
    assert "/helpbot help" not in reply
