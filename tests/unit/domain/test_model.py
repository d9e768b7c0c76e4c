"""Roles, invitation kinds and emails: one parse function each, with clear refusals."""

from __future__ import annotations

import pytest

from bot.domain import InvalidRole, Role, UserCard, parse_role
from bot.domain.errors import InvalidEmail, InvalidInvitationKind
from bot.domain.model import InvitationKind, normalise_email, parse_invitation_kind


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("site-manager", Role.SITE_MANAGER),
        ("Site Manager", Role.SITE_MANAGER),
        ("site_manager", Role.SITE_MANAGER),
        ("manager", Role.SITE_MANAGER),
        ("technician", Role.TECHNICIAN),
        ("Tech", Role.TECHNICIAN),
        ("install-technician", Role.INSTALL_TECHNICIAN),
        ("Install Technician", Role.INSTALL_TECHNICIAN),
        ("install_technician", Role.INSTALL_TECHNICIAN),
        ("install tech", Role.INSTALL_TECHNICIAN),
        ("  INSTALL   technician ", Role.INSTALL_TECHNICIAN),
        ("installer", Role.INSTALL_TECHNICIAN),
        (Role.TECHNICIAN, Role.TECHNICIAN),
    ],
)
def test_parse_role_accepts_friendly_spellings(text, role):
    assert parse_role(text) is role


@pytest.mark.parametrize("text", ["", "admin", "technicians", "install", "site"])
def test_parse_role_lists_the_valid_roles(text):
    with pytest.raises(InvalidRole) as refused:
        parse_role(text)
    assert "site-manager, technician, install-technician" in refused.value.user_message


def test_roles_have_the_apps_labels():
    assert [r.label for r in Role] == ["Site Manager", "Technician", "Install Technician"]
    card = UserCard("a@b.test", "A", None, "install-technician", False, "active", "X", None, "")
    assert card.role_label == "Install Technician"


def test_emails_are_normalised_and_checked():
    assert normalise_email("  Ann.Smith@Example.COM ") == "ann.smith@example.com"
    for bad in ["", "ann", "ann@", "@example.com", "ann@example", "<@U123|ann>", "a b@c.d"]:
        with pytest.raises(InvalidEmail):
            normalise_email(bad)


def test_invitation_kinds():
    assert parse_invitation_kind(" Web ") is InvitationKind.WEB
    with pytest.raises(InvalidInvitationKind) as refused:
        parse_invitation_kind("sms")
    assert "mobile or web" in refused.value.user_message
