"""Every rule of the seed FAQ and issue 3, enforced by the domain, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.domain import (
    DomainError,
    IdempotencyKeyReused,
    InstallTechnicianCannotBePrimaryContact,
    InvalidRole,
    NotATechnician,
    PhoneNumberNeeded,
    PrimaryContactCannotBeDeleted,
    RateLimited,
    ResetLinkInvalid,
    SmsOnlyForMobile,
    UnknownActor,
    UserNotFound,
    WebInvitationNeedsMobileFirst,
    WouldLeaveNoSiteManager,
)
from bot.domain.orm import Feedback, Invitation, OutboxMessage, PasswordReset, User
from tests.domain_support import (
    ACME,
    APP_URL,
    GAIL,
    GUS,
    IAN,
    MAX,
    MIA,
    NED,
    PIA,
    TARA,
    TOM,
    build_directory,
    make_domain,
)


def last_audit(domain):
    return domain.audit_log()[-1]


def count(database, model, *where):
    with database.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def reset_token(transport) -> str:
    body = transport.sent[-1].get_content()
    return body.split(f"{APP_URL}/reset-password/")[1].split()[0]


# --- Invitations ------------------------------------------------------------------------------


def test_a_site_manager_resends_a_mobile_invitation_that_supersedes_the_previous(
    domain, database, transport, clock
):
    result = domain.resend_invitation(MIA, TOM)
    assert result.action == "reinvite"
    assert "without SMS verification" in result.message
    assert "previous invitation no longer works" in result.message
    assert result.target.invitation == "mobile invitation pending, expires 2026-12-04"
    assert "Mia Manager sent you a new invitation" in result.target_message
    with database.session_factory() as session:
        states = [
            i.state(clock())
            for i in session.scalars(
                select(Invitation).join(User).where(User.email == TOM).order_by(Invitation.id)
            )
        ]
    assert states == ["superseded", "pending"]
    assert domain.deliver_outbox() == 1
    email = transport.sent[0]
    assert email["To"] == TOM
    assert email["Subject"] == "Your invitation to the SMB mobile app"
    assert f"{APP_URL}/invite/" in email.get_content()


def test_an_expired_invitation_shows_on_the_card_and_a_new_one_can_be_sent(domain, clock):
    clock.advance(days=7)
    assert domain.get_user_card(MIA, TOM).invitation == "mobile invitation expired 2026-12-03"
    assert "pending" in domain.resend_invitation(MIA, TOM).target.invitation


def test_sms_verification_is_optional_and_needs_a_phone_number(domain, transport):
    result = domain.resend_invitation(MIA, TOM, require_sms=True)
    assert "with SMS verification" in result.message
    assert result.target.invitation.startswith("mobile (SMS verification) invitation pending")
    domain.deliver_outbox()
    assert "text message with a code" in transport.sent[0].get_content()
    with pytest.raises(PhoneNumberNeeded) as refused:
        domain.resend_invitation(MIA, NED, require_sms=True)
    assert "without SMS verification" in refused.value.user_message


def test_the_first_invitation_must_be_a_mobile_one(domain, transport):
    with pytest.raises(WebInvitationNeedsMobileFirst) as refused:
        domain.resend_invitation(MIA, NED, kind="web")
    assert "first invitation is always a mobile invitation" in refused.value.user_message
    assert f"/reinvite {NED} mobile" in refused.value.user_message
    assert last_audit(domain).outcome == "denied"
    domain.resend_invitation(MIA, NED, kind="mobile")
    result = domain.resend_invitation(MIA, NED, kind="web")
    assert "create a password" in result.message
    assert "username" in result.target_message
    domain.deliver_outbox()
    web_email = transport.sent[-1].get_content()
    assert "create a password" in web_email
    assert f"Your username is your email address: {NED}" in web_email


def test_sms_verification_is_for_mobile_invitations_only(domain):
    with pytest.raises(SmsOnlyForMobile):
        domain.resend_invitation(MIA, TOM, kind="web", require_sms=True)


def test_a_user_may_resend_themself_a_mobile_invitation_but_not_a_web_one(domain):
    assert domain.resend_invitation(TOM, TOM).target_message is None
    assert domain.resend_invitation(TOM, "Tom.Tech@ACME.test").message.startswith(
        "Sent a new mobile invitation to you"
    )
    with pytest.raises(DomainError) as refused:
        domain.resend_invitation(TOM, TOM, kind="web")
    assert "Site Manager" in refused.value.user_message


# --- Password resets --------------------------------------------------------------------------


def test_forgot_password_sends_a_single_use_link_stored_hashed(domain, database, transport):
    result = domain.request_password_reset(TOM)
    assert result.target.email == TOM
    assert "works once" in result.message
    assert "resend a mobile invitation to yourself" in result.message
    domain.deliver_outbox()
    token = reset_token(transport)
    with database.session_factory() as session:
        stored = session.scalars(select(PasswordReset.token_hash)).all()
    assert token not in stored
    assert len(stored) == 1
    assert domain.redeem_password_reset(token).email == TOM
    with pytest.raises(ResetLinkInvalid):
        domain.redeem_password_reset(token)


def test_a_reset_link_expires(domain, transport, clock):
    domain.request_password_reset(TOM)
    domain.deliver_outbox()
    clock.advance(hours=1, seconds=1)
    with pytest.raises(ResetLinkInvalid):
        domain.redeem_password_reset(reset_token(transport))


def test_a_site_manager_may_send_a_reset_link_to_a_user_of_their_account(domain, transport):
    result = domain.request_password_reset(MIA, TOM)
    assert "Mia Manager asked for a password reset link for you" in result.target_message
    domain.deliver_outbox()
    assert transport.sent[0]["To"] == TOM
    assert "Mia Manager asked" in transport.sent[0].get_content()


def test_delivered_emails_do_not_keep_the_link_in_the_database(domain, database):
    domain.request_password_reset(TOM)
    domain.deliver_outbox()
    with database.session_factory() as session:
        body = session.scalars(select(OutboxMessage.body)).one()
    assert "/reset-password/" not in body


# --- Primary contact, roles and deletion ------------------------------------------------------


def test_the_primary_contact_cannot_be_deleted(domain, database):
    with pytest.raises(PrimaryContactCannotBeDeleted) as refused:
        domain.delete_technician(MIA, PIA)
    assert "Install Technician first" in refused.value.user_message
    assert refused.value.target_email == PIA
    assert last_audit(domain).outcome == "denied"
    assert domain.get_user_card(MIA, PIA).status == "active"


def test_making_the_primary_contact_an_install_technician_removes_the_flag_and_warns(domain):
    result = domain.change_role(MIA, PIA, "Install Technician")
    assert result.target.role == "install-technician"
    assert result.target.is_primary_contact is False
    assert f"{ACME} now has no Primary Contact" in result.warning
    assert "/set-primary-contact" in result.warning
    entry = last_audit(domain)
    assert (entry.action, entry.outcome) == ("set_role", "ok")
    assert "no Primary Contact" in entry.detail


def test_after_the_role_change_the_technician_can_be_deleted_and_history_stays(domain):
    domain.change_role(MIA, PIA, "install tech")
    result = domain.delete_technician(MIA, PIA)
    assert result.target.status == "deleted"
    assert [e.action for e in domain.audit_log() if e.target == PIA] == [
        "set_role",
        "delete_technician",
    ]
    with pytest.raises(UserNotFound):
        domain.get_user_card(MIA, PIA)
    with pytest.raises(UnknownActor):
        domain.identify(PIA)
    assert PIA not in [card.email for card in domain.find_users(MIA)]


def test_a_deleted_users_pending_invitation_stops_working(domain, database, clock):
    domain.delete_technician(MIA, TOM)
    with database.session_factory() as session:
        states = {
            i.state(clock())
            for i in session.scalars(select(Invitation).join(User).where(User.email == TOM))
        }
    assert states == {"superseded"}


def test_only_technicians_can_be_deleted(domain):
    with pytest.raises(NotATechnician):
        domain.delete_technician(MIA, MAX)


def test_setting_the_primary_contact_moves_the_flag(domain):
    result = domain.set_primary_contact(MIA, TOM)
    assert result.target.is_primary_contact is True
    assert "instead of Pia Primary" in result.message
    assert domain.get_user_card(MIA, PIA).is_primary_contact is False
    with pytest.raises(InstallTechnicianCannotBePrimaryContact):
        domain.set_primary_contact(MIA, IAN)


def test_role_changes_accept_friendly_spellings_and_refuse_unknown_roles(domain):
    assert domain.change_role(MIA, TOM, "install_technician").target.role == "install-technician"
    assert domain.change_role(MIA, TOM, "Technician").target.role == "technician"
    assert "already a Technician" in domain.change_role(MIA, TOM, "tech").message
    with pytest.raises(InvalidRole) as refused:
        domain.change_role(MIA, TOM, "boss")
    assert "site-manager, technician, install-technician" in refused.value.user_message
    assert last_audit(domain).outcome == "error"


def test_nobody_can_demote_themself_into_an_account_without_site_manager(domain):
    assert domain.change_role(MAX, MAX, "technician").target.role == "technician"
    with pytest.raises(WouldLeaveNoSiteManager):
        domain.change_role(MIA, MIA, "technician")
    assert domain.capabilities(MIA).is_site_manager


def test_a_site_manager_may_promote_someone_and_then_step_down(domain):
    domain.change_role(MIA, TOM, "site manager")
    domain.change_role(MAX, MAX, "technician")
    assert domain.change_role(MIA, MIA, "technician").message == (
        "Changed your role from Site Manager to Technician."
    )
    assert domain.capabilities(TOM).is_site_manager


# --- Abuse limits -----------------------------------------------------------------------------


def test_at_most_n_invitations_per_target_per_hour(database, clock, transport):
    build_directory(database.session_factory, clock())
    domain = make_domain(database, clock, transport, invitation_limit_per_hour=3)
    for _ in range(3):
        domain.resend_invitation(MIA, TOM)
        clock.advance(minutes=10)
    with pytest.raises(RateLimited) as refused:
        domain.resend_invitation(MAX, TOM)
    assert "3 invitations in the last hour" in refused.value.user_message
    assert "10:00 UTC" in refused.value.user_message  # the first one leaves the hour at 10:00
    assert last_audit(domain).outcome == "denied"
    domain.resend_invitation(MIA, TARA)  # the limit is per target
    clock.advance(minutes=30)
    domain.resend_invitation(MIA, TOM)


def test_at_most_n_reset_emails_per_target_per_hour(database, clock, transport):
    build_directory(database.session_factory, clock())
    domain = make_domain(database, clock, transport, reset_limit_per_hour=2)
    domain.request_password_reset(TOM)
    clock.advance(minutes=5)  # not a double click (see the repeat window)
    domain.request_password_reset(MIA, TOM)
    clock.advance(minutes=5)
    with pytest.raises(RateLimited) as refused:
        domain.request_password_reset(TOM)
    assert "password reset emails" in refused.value.user_message
    assert count(database, PasswordReset) == 2
    clock.advance(minutes=55)
    domain.request_password_reset(TOM)


# --- Idempotency ------------------------------------------------------------------------------


def test_the_same_request_twice_changes_state_and_sends_mail_once(domain, database, transport):
    first = domain.resend_invitation(MIA, TOM, idempotency_key="slack-evt-1")
    again = domain.resend_invitation(MIA, TOM, idempotency_key="slack-evt-1")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.message == first.message
    assert again.target == first.target
    assert count(database, Invitation, Invitation.sent_by == MIA) == 1
    assert domain.deliver_outbox() == 1
    assert len(transport.sent) == 1
    assert [e.outcome for e in domain.audit_log()] == ["ok", "ok"]
    assert "nothing changed" in last_audit(domain).detail


def test_a_key_reused_for_another_request_is_refused(domain):
    domain.change_role(MIA, TOM, "install-technician", idempotency_key="k")
    with pytest.raises(IdempotencyKeyReused):
        domain.change_role(MIA, TARA, "install-technician", idempotency_key="k")


def test_a_refused_request_is_not_remembered_under_its_key(domain):
    with pytest.raises(PrimaryContactCannotBeDeleted):
        domain.delete_technician(MIA, PIA, idempotency_key="k")
    domain.change_role(MIA, PIA, "install-technician")
    assert domain.delete_technician(MIA, PIA, idempotency_key="k").replayed is False


# --- Identity, capabilities, reads ------------------------------------------------------------


def test_emails_are_compared_case_insensitively(domain):
    assert domain.identify("  Mia.Manager@ACME.TEST ").email == MIA
    assert domain.get_user_card("MIA.MANAGER@acme.test", "Tom.Tech@Acme.Test").email == TOM


def test_unknown_people_are_refused_and_audited(domain):
    with pytest.raises(UnknownActor) as refused:
        domain.resend_invitation("stranger@example.test", TOM)
    assert "Site Manager" in refused.value.user_message
    entry = last_audit(domain)
    assert (entry.actor, entry.outcome) == ("stranger@example.test", "denied")
    with pytest.raises(UserNotFound):
        domain.resend_invitation(MIA, "nobody@acme.test")
    assert last_audit(domain).outcome == "error"


def test_identify_stores_the_slack_user_id(domain):
    assert domain.identify(TOM, slack_user_id="U0TOM").slack_user_id == "U0TOM"
    assert domain.find_by_slack_id("U0TOM").email == TOM
    domain.identify(TARA, slack_user_id="U0TOM")  # the Slack id moved to someone else
    assert domain.find_by_slack_id("U0TOM").email == TARA
    assert domain.find_by_slack_id("U0NOBODY") is None


def test_capabilities_say_which_buttons_to_show(domain):
    manager = domain.capabilities(MIA)
    assert manager.is_site_manager
    assert manager.account == ACME
    assert manager.actions == {"reset_password", "reinvite", "set_role", "delete_technician"}
    assert domain.capabilities(IAN).actions == {"reset_password", "reinvite"}


def test_find_users_searches_the_managers_own_account(domain):
    everyone = domain.find_users(MIA)
    assert {c.account for c in everyone} == {ACME}
    assert len(everyone) == 7
    assert [c.email for c in domain.find_users(MIA, "tech")] == [TARA, TOM]
    assert [c.email for c in domain.find_users(MIA, "0105")] == [IAN]
    assert [c.email for c in domain.find_users(MIA, "TOM TECH")] == [TOM]
    assert domain.find_users(MIA, "gail") == []
    assert domain.find_users(MIA, "%") == []
    assert len(domain.find_users(MIA, limit=2)) == 2


def test_recent_audit_shows_the_managers_account_newest_first(domain):
    domain.resend_invitation(MIA, TOM)
    domain.resend_invitation(GUS, GAIL)
    with pytest.raises(DomainError):
        domain.delete_technician(GUS, TOM)  # a Globex manager trying an Acme user
    domain.find_users(MIA)  # allowed reads are audited but not shown here
    entries = domain.recent_audit(MIA)
    assert [(e.actor, e.action, e.outcome) for e in entries] == [
        (GUS, "delete_technician", "denied"),
        (MIA, "reinvite", "ok"),
    ]
    assert [e.target for e in domain.recent_audit(GUS, limit=1)] == [TOM]


def test_audit_log_filters_by_time_and_actor(domain, clock):
    domain.resend_invitation(MIA, TOM)
    later = clock.advance(minutes=5)
    domain.resend_invitation(MAX, TARA)
    assert [e.actor for e in domain.audit_log(since=later)] == [MAX]
    assert [e.target for e in domain.audit_log(actor_email="MIA.manager@acme.test")] == [TOM]


# --- Feedback and delivery claims -------------------------------------------------------------


def test_one_vote_per_person_per_answer(domain, database):
    domain.record_feedback("U1", "forgot-password", True)
    domain.record_feedback("U1", "forgot-password", False)
    domain.record_feedback("U2", "forgot-password", True)
    domain.record_feedback("U1", "resend-invitation", True)
    with database.session_factory() as session:
        votes = {(f.voter, f.entry_id): f.helpful for f in session.scalars(select(Feedback))}
    assert votes == {
        ("U1", "forgot-password"): False,
        ("U2", "forgot-password"): True,
        ("U1", "resend-invitation"): True,
    }


def test_a_delivery_key_is_claimed_once_and_forgotten_after_a_day(domain, clock):
    assert domain.claim_delivery("Ev1") is True
    assert domain.claim_delivery("Ev1") is False
    clock.advance(days=1, minutes=11)
    domain.claim_delivery("Ev2")  # prunes opportunistically
    assert domain.claim_delivery("Ev1") is True
