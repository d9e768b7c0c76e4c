"""Fixtures shared by every test: the shipped knowledge base and a matcher over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from faq import KnowledgeBase, Matcher, default_content_path, load_knowledge_base

REPO = Path(__file__).resolve().parent.parent
DEV_QUESTIONS = REPO.parent / "shared" / "eval" / "dev-questions.yaml"
DATA = Path(__file__).parent / "data"

# Hypothesis's default 200 ms deadline per example is a wall-clock threshold: a busy machine
# would fail a correct test. Examples are bounded by their size instead.
settings.register_profile("helpbot", deadline=None)
settings.load_profile("helpbot")


@pytest.fixture(scope="session")
def knowledge_base() -> KnowledgeBase:
    return load_knowledge_base(default_content_path())


@pytest.fixture(scope="session")
def matcher(knowledge_base: KnowledgeBase) -> Matcher:
    return Matcher(knowledge_base)
