"""Layer contracts: faq imports no Slack or database code, bot.domain no Slack, handlers no SQL."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO


def contracts() -> dict[str, dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    return {c["source_modules"][0]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_contracts_forbid_what_the_architecture_forbids():
    found = contracts()
    assert {"slack_bolt", "slack_sdk", "sqlalchemy", "bot"} <= set(
        found["faq"]["forbidden_modules"]
    )
    assert {"slack_bolt", "slack_sdk"} <= set(found["bot.domain"]["forbidden_modules"])
    assert {"sqlalchemy", "rapidfuzz"} <= set(found["handlers"]["forbidden_modules"])


def test_import_linter_keeps_every_contract():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_import_linter_catches_a_violation(tmp_path):
    # The same contract over a copy of faq/ with a Slack import added must fail.
    package = tmp_path / "faq"
    package.mkdir()
    (package / "__init__.py").write_text("import slack_sdk\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = faq\ninclude_external_packages = True\n\n"
        "[importlinter:contract:pure]\nname = faq is pure\ntype = forbidden\n"
        "source_modules = faq\nforbidden_modules = slack_sdk\n"
    )
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    assert "BROKEN" in done.stdout
