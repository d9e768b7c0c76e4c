"""Every attempt is audited, whatever characters a forged request puts in its strings."""

from __future__ import annotations

import pytest

from bot.domain import DomainError
from tests.domain_support import MIA, TOM

HOSTILE = [
    "someone\x00@acme.test",  # PostgreSQL refuses NUL in text
    "someone\ud800@acme.test",  # a lone surrogate cannot be encoded as UTF-8 (SQLite)
    "some\x1b[31mone@acme.test",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_refusal_with_control_characters_or_surrogates_is_audited(domain, target):
    with pytest.raises(DomainError) as refused:
        domain.change_role(TOM, target, "technician")  # a technician, for someone else
    assert "\x00" not in refused.value.user_message
    [entry] = [e for e in domain.audit_log() if e.action == "set_role"]
    assert entry.actor == TOM
    assert entry.outcome in ("denied", "error")
    assert entry.target is not None
    assert entry.target.isprintable()


@pytest.mark.parametrize("target", HOSTILE)
def test_a_site_managers_attempt_on_such_an_email_is_refused_and_audited(domain, target):
    with pytest.raises(DomainError) as refused:
        domain.change_role(MIA, target, "technician")
    assert "not an email address" in refused.value.user_message
    assert refused.value.user_message.isprintable()
    [entry] = [e for e in domain.audit_log() if e.action == "set_role"]
    assert (entry.actor, entry.outcome) == (MIA, "error")
    assert entry.target.isprintable()
    assert entry.detail.isprintable()


def test_an_actor_with_control_characters_is_audited(domain):
    with pytest.raises(DomainError):
        domain.change_role("mia\x00@acme.test", TOM, "technician")
    [entry] = [e for e in domain.audit_log() if e.action == "set_role"]
    assert entry.actor.isprintable()


@pytest.mark.parametrize("query", ["ti\x00m", "ti\ud800m"])
def test_a_search_with_control_characters_is_refused_by_name_and_audited(domain, query):
    with pytest.raises(DomainError) as refused:
        domain.find_users(MIA, query)
    assert "control character (U+" in refused.value.user_message
    [entry] = [e for e in domain.audit_log() if e.action == "find_users"]
    assert entry.outcome == "error"
