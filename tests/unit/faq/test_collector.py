"""faq.collector.paused: the cyclic collector is off inside, back as it was after."""

from __future__ import annotations

import gc

import pytest

from faq import KnowledgeBaseInvalid, Matcher, load_knowledge_base
from faq.collector import paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_inside_and_back_on_after(collector_on):
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error(collector_on):
    with pytest.raises(ValueError, match="boom"), paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off(collector_on):
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()
    gc.enable()


def test_loading_and_matching_leave_it_on(collector_on, tmp_path):
    (tmp_path / "kb.yaml").write_text(
        "- id: reset-password\n  category: Tests\n  audience: everyone\n"
        "  question: how do I reset my password\n  answer: Like this.\n  updated: 2026-11-27\n"
    )
    with pytest.raises(KnowledgeBaseInvalid, match="alternate_questions"):
        load_knowledge_base(tmp_path)
    assert gc.isenabled()  # after a refused KB too
    text = (tmp_path / "kb.yaml").read_text()
    (tmp_path / "kb.yaml").write_text(text + "  alternate_questions: [forgot my password]\n")
    Matcher(load_knowledge_base(tmp_path))
    assert gc.isenabled()
