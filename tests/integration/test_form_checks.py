"""`Domain.check_may_open`: the refusal a form would meet on submit, given before it opens."""

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
