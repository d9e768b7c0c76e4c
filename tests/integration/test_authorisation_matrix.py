"""Who may do what: every action x every role x self / same account / other account, audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.domain import (
    Domain,
    DomainError,
    NotASiteManager,
    NotATechnician,
    OutsideYourAccount,
)
from tests.domain_support import GAIL, IAN, MIA, TARA, TOM

OK = "ok"
# One actor per role, all in Acme; "same" is another Acme technician, "other" is in Globex.
ACTORS = {"site-manager": MIA, "technician": TOM, "install-technician": IAN}
TARGETS = {"same": TARA, "other": GAIL}

ACTIONS: dict[str, Callable[[Domain, str, str], object]] = {
    "reinvite mobile": lambda d, a, t: d.resend_invitation(a, t),
    "reinvite mobile+sms": lambda d, a, t: d.resend_invitation(a, t, require_sms=True),
    "reinvite web": lambda d, a, t: d.resend_invitation(a, t, kind="web"),
    "reset_password": lambda d, a, t: d.request_password_reset(a, t),
    "set_role": lambda d, a, t: d.change_role(a, t, "install-technician"),
    "set_primary_contact": lambda d, a, t: d.set_primary_contact(a, t),
    "delete_technician": lambda d, a, t: d.delete_technician(a, t),
    "get_user_card": lambda d, a, t: d.get_user_card(a, t),
}
ACCOUNT_READS: dict[str, Callable[[Domain, str], object]] = {
    "find_users": lambda d, a: d.find_users(a),
    "recent_audit": lambda d, a: d.recent_audit(a),
}
AUDITED_ACTION = {
    "reinvite mobile": "reinvite",
    "reinvite mobile+sms": "reinvite",
    "reinvite web": "reinvite",
}

MANAGER_ON_SELF = {
    # Mia is a Site Manager of an account with another one (Max): she may act on herself...
    "set_role": OK,
    "set_primary_contact": OK,
    # ...but a Site Manager is not a technician.
    "delete_technician": NotATechnician,
}
NON_MANAGER_ON_SELF = {
    # The seed's self-service: a password reset and a mobile re-invitation.
    "reinvite mobile": OK,
    "reinvite mobile+sms": OK,
    "reset_password": OK,
    "get_user_card": OK,
}


def expected(role: str, action: str, whom: str) -> object:
    if role == "site-manager":
        if whom == "other":
            return OutsideYourAccount
        return MANAGER_ON_SELF.get(action, OK) if whom == "self" else OK
    if whom == "self":
        return NON_MANAGER_ON_SELF.get(action, NotASiteManager)
    return NotASiteManager


CASES = [
    pytest.param(role, action, whom, id=f"{role}-{action}-{whom}")
    for role in ACTORS
    for action in ACTIONS
    for whom in ("self", "same", "other")
]


@pytest.mark.parametrize(("role", "action", "whom"), CASES)
def test_authorisation_matrix(domain, role, action, whom):
    actor = ACTORS[role]
    target = actor if whom == "self" else TARGETS[whom]
    outcome = expected(role, action, whom)
    before = len(domain.audit_log())
    if outcome is OK:
        ACTIONS[action](domain, actor, target)
    else:
        with pytest.raises(outcome) as refused:  # type: ignore[call-overload]
            ACTIONS[action](domain, actor, target)
        assert refused.value.user_message
    log = domain.audit_log()
    assert len(log) == before + 1, "every attempt writes exactly one audit event"
    entry = log[-1]
    assert entry.actor == actor
    assert entry.target == target
    assert entry.action == AUDITED_ACTION.get(action, action)
    assert entry.outcome == ("ok" if outcome is OK else "denied")


@pytest.mark.parametrize("role", ACTORS)
@pytest.mark.parametrize("action", ACCOUNT_READS)
def test_account_wide_reads_are_for_site_managers(domain, role, action):
    actor = ACTORS[role]
    if role == "site-manager":
        ACCOUNT_READS[action](domain, actor)
    else:
        with pytest.raises(NotASiteManager) as refused:
            ACCOUNT_READS[action](domain, actor)
        # The refusal names whom to ask.
        assert "Mia Manager" in refused.value.user_message
    entry = domain.audit_log()[-1]
    assert (entry.actor, entry.action) == (actor, action)
    assert entry.outcome == ("ok" if role == "site-manager" else "denied")


def test_a_refusal_changes_nothing(domain):
    card = domain.get_user_card(MIA, TARA)
    for action in ACTIONS.values():
        with pytest.raises(DomainError):
            action(domain, TOM, TARA)
    assert domain.get_user_card(MIA, TARA) == card
    assert domain.deliver_outbox() == 0
