"""The one module through which the Slack handlers see the domain (`bot.domain`, issue 3).

The domain's refusals are `DomainError`s (their tree is drawn in `bot.domain.errors`); a few
more are raised on the Slack side, constructed with their message:

DomainError
├── NotInDirectory                no directory user has this Slack person's email
├── NoSlackEmail                  a Slack user named in a command has no email we can see
└── (parsing.UsageError)          the command text does not follow the usage
"""

from __future__ import annotations

from bot.domain import (
    ActionResult,
    AuditEntry,
    Capabilities,
    Domain,
    DomainError,
    InvalidRole,
    PrimaryContactCannotBeDeleted,
    Role,
    TeamPage,
    UnknownActor,
    UserCard,
    parse_role,
)
from bot.domain.model import DELETE_TECHNICIAN, REINVITE, SET_ROLE

# The domain's roles as Slack shows them (value -> label), in the app's order.
ROLES = tuple(role.value for role in Role)
ROLE_LABELS = {role.value: role.label for role in Role}


class NotInDirectory(DomainError):
    """The Slack person is not in the team directory (the message says whom to ask)."""


class NoSlackEmail(DomainError):
    """A Slack user named in a command has no email address we can see."""


__all__ = [
    "DELETE_TECHNICIAN",
    "REINVITE",
    "ROLES",
    "ROLE_LABELS",
    "SET_ROLE",
    "ActionResult",
    "AuditEntry",
    "Capabilities",
    "Domain",
    "DomainError",
    "InvalidRole",
    "NoSlackEmail",
    "NotInDirectory",
    "PrimaryContactCannotBeDeleted",
    "TeamPage",
    "UnknownActor",
    "UserCard",
    "parse_role",
]
