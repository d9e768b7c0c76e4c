"""The import-linter contracts fail when a layer imports what it must not (not just pass)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("bot/domain/policy.py", "import slack_sdk", "the domain never imports Slack"),
        ("bot/domain/model.py", "import handlers", "the domain never imports Slack"),
        ("bot/commands.py", "import sqlalchemy", "text commands are pure"),
    ],
)
def test_a_forbidden_import_breaks_the_build(tmp_path, module, line, broken):
    for name in ("bot", "faq", "handlers"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    with (tmp_path / module).open("a") as source:
        source.write(f"\n{line}  # noqa\n")
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert f"{broken}" in result.stdout.split("Broken contracts")[1]
