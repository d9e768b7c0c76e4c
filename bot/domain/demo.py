"""A small demo directory that `helpbot run` seeds on first start, so newcomers can try commands."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.directory import DirectoryRow, import_rows
from bot.domain.model import ACTIVE, InvitationKind, Role
from bot.domain.orm import Invitation, User
from bot.domain.services import hash_token

DEMO_ACCOUNT = "Demo Field Services"
OTHER_ACCOUNT = "Other Company"


@dataclass(frozen=True, slots=True)
class DemoUser:
    """One person of the demo directory and what they are good for trying."""

    account: str
    name: str
    email: str
    phone: str | None
    role: Role
    primary_contact: bool
    note: str


DEMO_USERS = (
    DemoUser(
        DEMO_ACCOUNT,
        "Sam Manager",
        "sam.manager@example.com",
        "+1 555 0100",
        Role.SITE_MANAGER,
        False,
        "Site Manager: can run every command",
    ),
    DemoUser(
        DEMO_ACCOUNT,
        "Pat Primary",
        "pat.primary@example.com",
        "+1 555 0101",
        Role.TECHNICIAN,
        True,
        "Technician and Primary Contact: can't be deleted until made an Install Technician",
    ),
    DemoUser(
        DEMO_ACCOUNT,
        "Tess Tech",
        "tess.tech@example.com",
        "+1 555 0102",
        Role.TECHNICIAN,
        False,
        "Technician whose mobile invitation expired",
    ),
    DemoUser(
        DEMO_ACCOUNT,
        "Ivan Install",
        "ivan.install@example.com",
        None,
        Role.INSTALL_TECHNICIAN,
        False,
        "Install Technician, never invited (a web invitation is refused)",
    ),
    DemoUser(
        OTHER_ACCOUNT,
        "Olga Other",
        "olga.other@example.com",
        "+1 555 0199",
        Role.SITE_MANAGER,
        False,
        "Site Manager of another account: out of Sam's reach",
    ),
)
DEMO_SITE_MANAGER = DEMO_USERS[0].email


def seed_demo(session: Session, now: datetime) -> bool:
    """Add the demo directory if the directory is empty; True if it did."""
    if session.scalar(select(func.count(User.id))):
        return False
    # The demo goes in through the directory import, like any real directory would.
    rows = [
        DirectoryRow(
            line,
            person.account,
            person.name,
            person.email,
            person.phone,
            person.role,
            person.primary_contact,
        )
        for line, person in enumerate(DEMO_USERS, start=2)
    ]
    import_rows(session, rows, now)
    tess = session.scalars(select(User).where(User.email == "tess.tech@example.com")).one()
    # An invitation that expired, so "/reinvite tess.tech@example.com" has a story to tell.
    session.add(
        Invitation(
            user_id=tess.id,
            kind=InvitationKind.MOBILE.value,
            require_sms=False,
            token_hash=hash_token(secrets.token_urlsafe(32)),
            sent_by=DEMO_SITE_MANAGER,
            sent_at=now - timedelta(days=10),
            expires_at=now - timedelta(days=3),
        )
    )
    return True


def demo_is_present(session: Session) -> bool:
    """True if the demo Site Manager is an active user (the directory is the demo one)."""
    return (
        session.scalar(
            select(User.id).where(User.email == DEMO_SITE_MANAGER, User.status == ACTIVE)
        )
        is not None
    )
