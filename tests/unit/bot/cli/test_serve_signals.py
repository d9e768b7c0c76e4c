"""`helpbot socket` re-reads the knowledge base on SIGHUP, keeping the last good one if broken."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from bot.cli.serve import reload_faq_on_sighup
from faq import FaqStore, default_content_path


@pytest.fixture
def restore_sighup():
    previous = signal.getsignal(signal.SIGHUP)
    yield
    signal.signal(signal.SIGHUP, previous)


def test_sighup_reloads_now(tmp_path, restore_sighup):
    content = tmp_path / "content"
    shutil.copytree(default_content_path(), content)
    store = FaqStore(content, check_interval=3600)
    reload_faq_on_sighup(store)
    before = store.snapshot
    faq_file = content / "helpbot.yaml"
    faq_file.write_text(
        faq_file.read_text().replace("What can helpbot do?", "What is helpbot for?")
    )
    os.kill(os.getpid(), signal.SIGHUP)
    assert store.snapshot is not before
    assert store.knowledge_base.get("help").question == "What is helpbot for?"

    faq_file.write_text("- id: broken\n")
    os.kill(os.getpid(), signal.SIGHUP)
    assert store.knowledge_base.get("help").question == "What is helpbot for?"
