"""FaqStore: reloads on change and keeps serving the last good version when the new one is bad."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

from faq import FaqStore, KnowledgeBaseInvalid, default_content_path


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(default_content_path(), target)
    return target


def touch_later(path):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_reloads_when_a_file_changes(content):
    clock = Clock()
    store = FaqStore(content, check_interval=2.0, monotonic=clock)
    faq_file = content / "user-management.yaml"
    faq_file.write_text(
        faq_file.read_text().replace("lost my password", "misplaced my login secret")
    )
    touch_later(faq_file)
    clock.now = 1.0  # within the interval: not checked yet
    assert (
        "misplaced my login secret"
        not in store.knowledge_base.get("forgot-password").alternate_questions
    )
    clock.now = 2.5
    assert (
        "misplaced my login secret"
        in store.knowledge_base.get("forgot-password").alternate_questions
    )


def test_invalid_change_keeps_the_last_good_version_and_logs(content, caplog):
    store = FaqStore(content)
    before = store.snapshot
    faq_file = content / "user-management.yaml"
    faq_file.write_text(faq_file.read_text().replace("  answer: |-", "  anwser: |-", 1))
    touch_later(faq_file)
    with caplog.at_level(logging.ERROR, logger="faq.store"):
        assert store.refresh() is False
    assert store.knowledge_base is before.knowledge_base
    assert store.matcher.match("forgot my password").entry.id == "forgot-password"
    assert "still serving the previous version" in caplog.text
    assert "unknown key 'anwser'" in caplog.text
    caplog.clear()
    assert store.refresh() is False  # same broken files: not reported again
    assert caplog.text == ""


def test_forced_reload_and_invalid_start(content, tmp_path):
    store = FaqStore(content)
    assert store.refresh(force=True) is True
    (tmp_path / "bad.yaml").write_text("- id: x\n")
    with pytest.raises(KnowledgeBaseInvalid):
        FaqStore(tmp_path / "bad.yaml")
