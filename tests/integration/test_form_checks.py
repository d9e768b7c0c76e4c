"""Domain rules for the Slack entrypoints: forms refused before they open, repeated requests."""

from __future__ import annotations

import pytest

from bot.domain import DomainError, NotASiteManager, PrimaryContactCannotBeDeleted
from tests.domain_support import GAIL, MIA, PIA, TOM


def test_a_manager_may_open_every_form_on_their_team(domain):
    for action in ("reinvite", "set_role", "delete_technician"):
        domain.check_may_open(MIA, action, TOM)
        domain.check_may_open(MIA, action)  # a form with a user picker


def test_a_technician_may_open_self_service_only(domain):
    domain.check_may_open(TOM, "reinvite", TOM)
    for action, target in (("reinvite", MIA), ("set_role", None), ("delete_technician", PIA)):
        with pytest.raises(NotASiteManager):
            domain.check_may_open(TOM, action, target)


def test_the_primary_contact_is_refused_before_the_confirmation_and_audited(domain):
    with pytest.raises(PrimaryContactCannotBeDeleted):
        domain.check_may_open(MIA, "delete_technician", PIA)
    [entry] = [e for e in domain.audit_log() if e.outcome == "denied"]
    assert (entry.action, entry.target) == ("delete_technician", PIA)
    assert not [e for e in domain.audit_log() if e.outcome == "ok"]  # opening changes nothing


def test_another_accounts_user_is_refused(domain):
    with pytest.raises(DomainError):  # the same answer as for an unknown user (issue 9, B3)
        domain.check_may_open(MIA, "reinvite", GAIL)


def test_b12_a_repeated_reset_request_within_the_window_sends_nothing_more(
    domain, clock, transport
):
    first = domain.request_password_reset(TOM, idempotency_key="click-1")
    again = domain.request_password_reset(TOM, idempotency_key="click-2")
    domain.deliver_outbox()
    assert len(transport.sent) == 1
    assert not first.replayed
    assert again.replayed
    assert "a moment ago" in again.message
    clock.advance(minutes=3)  # later, a new request is a new link
    domain.request_password_reset(TOM, idempotency_key="click-3")
    domain.deliver_outbox()
    assert len(transport.sent) == 2


def test_a_user_reference_names_a_user_of_the_managers_account_only(domain):
    [tom] = [c for c in domain.find_users(MIA, "Tom Tech") if c.email == TOM]
    assert domain.user_by_ref(MIA, tom.ref).email == TOM
    [gail] = [c for c in domain.directory() if c.email == GAIL]
    for actor, ref in ((MIA, gail.ref), (MIA, "999999"), (MIA, "x"), (TOM, tom.ref)):
        with pytest.raises(DomainError):
            domain.user_by_ref(actor, ref)
