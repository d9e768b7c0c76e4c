"""Who may do what, and the SMB app's rules, as pure functions on plain values."""

from __future__ import annotations

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
from bot.domain.model import (
    ACTION_LABELS,
    BUTTON_ACTIONS,
    FIND_USERS,
    GET_USER_CARD,
    RECENT_AUDIT,
    REINVITE,
    SELF_SERVICE_ACTIONS,
    InvitationKind,
    Person,
    Role,
)

# Anyone may look at their own card; self-service actions are in SELF_SERVICE_ACTIONS.
_SELF_READS = frozenset({GET_USER_CARD})
_ACCOUNT_READS = frozenset({FIND_USERS, RECENT_AUDIT})


def check_may_target(
    action: str, actor: Person, target_email: str | None, *, kind: InvitationKind | None = None
) -> None:
    """Raise NotASiteManager unless `actor` may attempt `action` on `target_email` at all.

    Checked before the target is looked up, so that a non-manager learns nothing about the
    directory. None as target means an account-wide read (team search, audit).
    """
    if actor.is_site_manager:
        return
    if target_email == actor.email:
        if action in _SELF_READS:
            return
        if action in SELF_SERVICE_ACTIONS:
            # Self-service is a mobile re-invitation; a web invitation is a manager's decision.
            if action == REINVITE and kind is InvitationKind.WEB:
                raise NotASiteManager("send you a web app invitation")
            return
    what = ACTION_LABELS.get(action, action)
    if target_email not in (None, actor.email) and action not in _ACCOUNT_READS:
        what += " for someone else"
    raise NotASiteManager(what)


def check_same_account(actor: Person, target: Person) -> None:
    """Raise OutsideYourAccount unless both are in the same account."""
    if actor.account_id != target.account_id:
        raise OutsideYourAccount(target.email)


def capabilities_of(actor: Person) -> frozenset[str]:
    """The action ids (buttons) to offer this person."""
    return BUTTON_ACTIONS if actor.is_site_manager else SELF_SERVICE_ACTIONS


def check_invitation(
    target: Person,
    kind: InvitationKind,
    *,
    require_sms: bool,
    has_mobile_invitation: bool,
    has_phone: bool,
) -> None:
    """The seed's invitation rules: mobile first; SMS verification only on mobile, with a phone."""
    if kind is InvitationKind.WEB:
        if require_sms:
            raise SmsOnlyForMobile
        if not has_mobile_invitation:
            raise WebInvitationNeedsMobileFirst(target.email, target.name)
    elif require_sms and not has_phone:
        raise PhoneNumberNeeded(target.email, target.name)


def check_deletable(target: Person) -> None:
    """Only technicians may be deleted, and never the account's primary contact."""
    if target.role is Role.SITE_MANAGER:
        raise NotATechnician(target.email, target.name, target.role.label)
    if target.is_primary_contact:
        raise PrimaryContactCannotBeDeleted(target.email, target.name)


def check_keeps_a_site_manager(account: str, site_managers_after: int) -> None:
    """Raise WouldLeaveNoSiteManager unless the account keeps at least one active Site Manager."""
    if site_managers_after < 1:
        raise WouldLeaveNoSiteManager(account)


def check_role_change(target: Person, new_role: Role, other_site_managers: int) -> None:
    """Demoting a Site Manager must leave the account at least one other Site Manager."""
    if target.role is Role.SITE_MANAGER and new_role is not Role.SITE_MANAGER:
        check_keeps_a_site_manager(target.account, other_site_managers)


def may_be_primary_contact(role: Role) -> bool:
    """An Install Technician can't be the primary contact (the seed demotes them to delete)."""
    return role is not Role.INSTALL_TECHNICIAN


def check_may_be_primary_contact(target: Person) -> None:
    """Raise InstallTechnicianCannotBePrimaryContact unless the target may be the contact."""
    if not may_be_primary_contact(target.role):
        raise InstallTechnicianCannotBePrimaryContact(target.email, target.name)


def role_change_drops_primary_contact(target: Person, new_role: Role) -> bool:
    """Changing the primary contact to Install Technician removes the primary-contact flag."""
    return target.is_primary_contact and not may_be_primary_contact(new_role)
