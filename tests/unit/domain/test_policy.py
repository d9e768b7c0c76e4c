"""The authorisation rules and the seed's rules as pure functions (no database)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.domain import policy
from bot.domain.errors import (
    InstallTechnicianCannotBePrimaryContact,
    NotASiteManager,
    NotATechnician,
    OutsideYourAccount,
    PhoneNumberNeeded,
    PrimaryContactCannotBeDeleted,
    SmsOnlyForMobile,
    WebInvitationNeedsMobileFirst,
    WouldLeaveNoSiteManager,
)
from bot.domain.model import InvitationKind, Person, Role

MANAGER = Person(1, "m@a.test", "Mo", Role.SITE_MANAGER, 1, "A")
TECH = Person(2, "t@a.test", "Ti", Role.TECHNICIAN, 1, "A")
PRIMARY = dataclasses.replace(TECH, user_id=3, email="p@a.test", is_primary_contact=True)
INSTALLER = Person(4, "i@a.test", "Io", Role.INSTALL_TECHNICIAN, 1, "A")
OUTSIDER = Person(5, "o@b.test", "Oz", Role.TECHNICIAN, 2, "B")


@pytest.mark.parametrize(
    "action", ["reinvite", "reset_password", "set_role", "delete_technician", "find_users"]
)
def test_site_managers_may_attempt_anything(action):
    policy.check_may_target(action, MANAGER, TECH.email)


@pytest.mark.parametrize("action", ["reinvite", "reset_password", "get_user_card"])
def test_anyone_may_serve_themself(action):
    policy.check_may_target(action, TECH, TECH.email, kind=InvitationKind.MOBILE)


def test_a_web_invitation_is_a_managers_decision_even_for_oneself():
    with pytest.raises(NotASiteManager) as refused:
        policy.check_may_target("reinvite", TECH, TECH.email, kind=InvitationKind.WEB)
    assert "web app invitation" in refused.value.user_message


@pytest.mark.parametrize("action", ["set_role", "delete_technician", "set_primary_contact"])
def test_non_managers_may_not_manage_even_themselves(action):
    with pytest.raises(NotASiteManager):
        policy.check_may_target(action, TECH, TECH.email)


@pytest.mark.parametrize("action", ["reinvite", "reset_password", "get_user_card", "set_role"])
def test_non_managers_may_not_act_on_others(action):
    with pytest.raises(NotASiteManager) as refused:
        policy.check_may_target(action, INSTALLER, TECH.email)
    assert "for someone else" in refused.value.user_message


def test_account_wide_reads_need_a_site_manager():
    with pytest.raises(NotASiteManager) as refused:
        policy.check_may_target("find_users", TECH, None)
    assert refused.value.user_message.startswith("Only a Site Manager can search the team.")


def test_only_within_ones_own_account():
    policy.check_same_account(MANAGER, TECH)
    with pytest.raises(OutsideYourAccount):
        policy.check_same_account(MANAGER, OUTSIDER)


def test_capabilities():
    assert policy.capabilities_of(MANAGER) == {
        "reset_password",
        "reinvite",
        "set_role",
        "delete_technician",
    }
    assert policy.capabilities_of(TECH) == {"reset_password", "reinvite"}


def test_invitation_rules():
    mobile, web = InvitationKind.MOBILE, InvitationKind.WEB
    check = policy.check_invitation
    check(TECH, mobile, require_sms=False, has_mobile_invitation=False, has_phone=False)
    check(TECH, mobile, require_sms=True, has_mobile_invitation=False, has_phone=True)
    check(TECH, web, require_sms=False, has_mobile_invitation=True, has_phone=False)
    with pytest.raises(WebInvitationNeedsMobileFirst):
        check(TECH, web, require_sms=False, has_mobile_invitation=False, has_phone=True)
    with pytest.raises(SmsOnlyForMobile):
        check(TECH, web, require_sms=True, has_mobile_invitation=True, has_phone=True)
    with pytest.raises(PhoneNumberNeeded):
        check(TECH, mobile, require_sms=True, has_mobile_invitation=True, has_phone=False)


def test_deletion_rules():
    policy.check_deletable(TECH)
    policy.check_deletable(INSTALLER)
    with pytest.raises(PrimaryContactCannotBeDeleted) as refused:
        policy.check_deletable(PRIMARY)
    assert "Install Technician" in refused.value.user_message
    with pytest.raises(NotATechnician):
        policy.check_deletable(MANAGER)


def test_role_change_rules():
    policy.check_role_change(MANAGER, Role.TECHNICIAN, other_site_managers=1)
    policy.check_role_change(TECH, Role.SITE_MANAGER, other_site_managers=0)
    policy.check_role_change(MANAGER, Role.SITE_MANAGER, other_site_managers=0)
    with pytest.raises(WouldLeaveNoSiteManager):
        policy.check_role_change(MANAGER, Role.INSTALL_TECHNICIAN, other_site_managers=0)
    assert policy.role_change_drops_primary_contact(PRIMARY, Role.INSTALL_TECHNICIAN)
    assert not policy.role_change_drops_primary_contact(PRIMARY, Role.SITE_MANAGER)
    assert not policy.role_change_drops_primary_contact(TECH, Role.INSTALL_TECHNICIAN)


def test_primary_contact_rules():
    policy.check_may_be_primary_contact(TECH)
    policy.check_may_be_primary_contact(MANAGER)
    with pytest.raises(InstallTechnicianCannotBePrimaryContact):
        policy.check_may_be_primary_contact(INSTALLER)
