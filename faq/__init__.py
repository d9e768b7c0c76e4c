"""The FAQ knowledge base (YAML content, loader, validator) and the matcher; pure Python."""

from __future__ import annotations

from pathlib import Path

from faq.loader import KnowledgeBaseInvalid, Problem, load_knowledge_base
from faq.matcher import Alternative, Match, Matcher, Outcome
from faq.model import ACTIONS, AUDIENCES, Entry, KnowledgeBase
from faq.store import FaqStore


def default_content_path() -> Path:
    """The directory of the knowledge base shipped with helpbot."""
    return Path(__file__).parent / "content"


__all__ = [
    "ACTIONS",
    "AUDIENCES",
    "Alternative",
    "Entry",
    "FaqStore",
    "KnowledgeBase",
    "KnowledgeBaseInvalid",
    "Match",
    "Matcher",
    "Outcome",
    "Problem",
    "default_content_path",
    "load_knowledge_base",
]
