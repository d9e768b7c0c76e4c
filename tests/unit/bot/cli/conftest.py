"""CLI test fixtures: a fresh SQLite database in a temporary directory, and `helpbot` runner."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bot.cli import main
from tests.domain_support import FakeClock


@dataclass
class Run:
    """What one `helpbot ...` printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def clock() -> FakeClock:
    """The one clock of every `helpbot` run in a test: it moves only when told to."""
    return FakeClock()


@pytest.fixture
def helpbot(tmp_path, monkeypatch, capsys, clock) -> Callable[..., Run]:
    """Runs `helpbot ARGS` with DATABASE_URL on a file in tmp_path; stdin may be given."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'helpbot.db'}")
    monkeypatch.setenv("HELPBOT_APP_URL", "https://app.example.test")
    for name in ("SMTP_URL", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, stdin: str = "") -> Run:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args), clock=clock)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def demo(helpbot) -> Callable[..., Run]:
    """`helpbot` over the demo directory (seeded by `helpbot run`)."""
    assert helpbot("run", stdin="").code == 0
    return helpbot
