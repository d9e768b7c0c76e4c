"""The exception tree: documented in one place, every refusal user-safe and actionable."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime

import pytest

import bot.domain
from bot.domain import errors
from bot.domain.errors import DomainError, SchemaOutOfDate

ERROR_CLASSES = [
    cls
    for _, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, Exception) and cls.__module__ == errors.__name__
]

SAMPLES = {
    "UnknownActor": ("x@y.test",),
    "NotASiteManager": ("change a role", ("Mo Manager",)),
    "OutsideYourAccount": ("x@y.test",),
    "PrimaryContactCannotBeDeleted": ("x@y.test", "Pat"),
    "NotATechnician": ("x@y.test", "Pat", "Site Manager"),
    "WouldLeaveNoSiteManager": ("Acme",),
    "WebInvitationNeedsMobileFirst": ("x@y.test", "Pat"),
    "InstallTechnicianCannotBePrimaryContact": ("x@y.test", "Pat"),
    "PhoneNumberNeeded": ("x@y.test", "Pat"),
    "RateLimited": ("x@y.test", "invitations", 5, datetime(2026, 1, 1, 10, 0, tzinfo=UTC)),
    "UserNotFound": ("x@y.test",),
    "InvalidEmail": ("nope",),
    "InvalidRole": ("boss",),
    "InvalidText": ("The text contains U+0000. Type it again without it.",),
    "InvalidInvitationKind": ("sms",),
    "SmsOnlyForMobile": (),
    "IdempotencyKeyReused": ("k",),
    "ResetLinkInvalid": (),
    "DirectoryFileInvalid": ([(2, "bad")],),
}
CONCRETE = [cls for cls in ERROR_CLASSES if cls.__name__ in SAMPLES]


def test_the_module_docstring_draws_every_class():
    for cls in ERROR_CLASSES:
        assert re.search(rf"\b{cls.__name__}\b", errors.__doc__), cls.__name__


def test_every_class_has_a_one_line_docstring():
    for cls in ERROR_CLASSES:
        assert cls.__doc__, cls.__name__
        assert "\n" not in cls.__doc__.strip(), cls.__name__


def test_every_refusal_is_a_domain_error_exported_by_the_package():
    for cls in ERROR_CLASSES:
        if cls is not SchemaOutOfDate:
            assert issubclass(cls, DomainError)
        assert getattr(bot.domain, cls.__name__) is cls


@pytest.mark.parametrize("cls", CONCRETE, ids=lambda c: c.__name__)
def test_messages_are_plain_text_saying_what_to_do(cls):
    error = cls(*SAMPLES[cls.__name__])
    message = error.user_message
    assert message == str(error)
    assert error.outcome in ("denied", "error")
    assert not re.search(r"<[@!#]|\*\w", message), "no Slack markup"
    assert len(message.split(". ")) >= 2 or "\n" in message, "a second sentence: what next"


def test_schema_out_of_date_names_the_command():
    assert "`helpbot db upgrade`" in str(SchemaOutOfDate(None, "0001"))
