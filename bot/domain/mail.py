"""Emails helpbot sends (invitations, password resets) and the transports that deliver them."""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import SplitResult, unquote, urlsplit

from bot.domain.model import InvitationKind, format_day, format_time
from bot.text import redact_credentials

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Email:
    """An email to write to the outbox: recipient, subject and plain-text body."""

    to: str
    subject: str
    body: str


def invitation_link(app_url: str, token: str) -> str:
    """The link in an invitation email."""
    return f"{app_url.rstrip('/')}/invite/{token}"


def reset_link(app_url: str, token: str) -> str:
    """The link in a password reset email."""
    return f"{app_url.rstrip('/')}/reset-password/{token}"


def invitation_email(
    *,
    to: str,
    name: str,
    account: str,
    sender: str,
    kind: InvitationKind,
    require_sms: bool,
    link: str,
    expires_at: datetime,
) -> Email:
    """A mobile invitation (download the app) or a web invitation (create a password)."""
    greeting = f"Hello {name},\n\n"
    ending = (
        f"\n\nYour username is your email address: {to}\n"
        f"This link expires on {format_day(expires_at)}. If it has expired, ask a Site "
        "Manager of your account to send you a new invitation.\n"
    )
    if kind is InvitationKind.WEB:
        return Email(
            to=to,
            subject="Create your password for the SMB web app",
            body=greeting
            + f"{sender} invited you to use the SMB app in a web browser ({account}).\n"
            f"Follow this link and create a password:\n{link}" + ending,
        )
    sms = (
        "\nThis invitation requires SMS verification: you will get a text message with a "
        "code on your phone."
        if require_sms
        else ""
    )
    return Email(
        to=to,
        subject="Your invitation to the SMB mobile app",
        body=greeting + f"{sender} sent you an invitation to the SMB mobile app ({account}).\n"
        f"Open this link on your phone to download the app and sign in:\n{link}{sms}" + ending,
    )


def password_reset_email(
    *, to: str, name: str, requested_by: str | None, link: str, expires_at: datetime
) -> Email:
    """The 'Forgot your password' email with its single-use link."""
    who = f"{requested_by} asked" if requested_by else "You asked"
    return Email(
        to=to,
        subject="Reset your SMB app password",
        body=f"Hello {name},\n\n"
        f"{who} for a link to reset the password of {to} in the SMB app.\n"
        f"Follow this link to choose a new password:\n{link}\n\n"
        f"The link works once and expires at {format_time(expires_at)}.\n"
        "Once you are logged in, you can resend a mobile invitation to yourself.\n"
        "If you did not ask for this, you can ignore this email.\n",
    )


class MailTransport(Protocol):
    """Sends one email or raises; injectable so tests and the log can stand in for SMTP."""

    def send(self, message: EmailMessage) -> None:
        """Deliver the message or raise an exception."""


def check_smtp_url(url: str) -> SplitResult:
    """The parts of smtp://[user:password@]host[:port]; ValueError, never showing a password."""
    problem = None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # its message may quote the password, sitting where a port goes
        problem = "has a port that is not a number from 1 to 65535"
    else:
        if parts.scheme not in ("smtp", "smtps"):
            problem = "does not start with smtp:// or smtps://"
        elif not parts.hostname:
            problem = "names no host"
        elif port == 0:
            problem = "has a port that is not a number from 1 to 65535"
    if problem:
        raise ValueError(
            "SMTP_URL must look like smtp://host:port or smtp://user:password@host:port, but "
            f"it {problem}: {redact_credentials(url)!r}"
        )
    return parts


class SmtpTransport:
    """Delivers over SMTP: smtp://[user:password@]host[:port] (smtps:// for TLS)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = check_smtp_url(url)
        self.use_tls = parts.scheme == "smtps"
        self.host = str(parts.hostname)
        self.port = parts.port or (465 if self.use_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"SmtpTransport({'smtps' if self.use_tls else 'smtp'}://{self.host}:{self.port})"

    def send(self, message: EmailMessage) -> None:
        """Open a connection, send, and close it."""
        smtp: smtplib.SMTP
        if self.use_tls:
            smtp = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)
        except BaseException:
            smtp.close()
            raise
        # Accepted: the message is sent, whatever the server answers to QUIT (421 and the like).
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError) as error:
            log.info("SMTP server %s:%s answered QUIT with %s", self.host, self.port, error)
            smtp.close()


class LogTransport:
    """Without SMTP_URL: writes each email to the log (logger bot.domain.mail) instead."""

    def send(self, message: EmailMessage) -> None:
        """Log the whole email at INFO."""
        log.info(
            "email (SMTP_URL is not set, so it is only logged)\nTo: %s\nSubject: %s\n\n%s",
            message["To"],
            message["Subject"],
            message.get_content().rstrip(),
        )


class MemoryTransport:
    """Keeps sent emails in a list (tests, demos); can be told to fail the next sends."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self._failures: list[Exception] = []
        self._lock = threading.Lock()

    def fail_next(self, *errors: Exception) -> None:
        """Raise these errors on the next sends, one each."""
        with self._lock:
            self._failures.extend(errors)

    def send(self, message: EmailMessage) -> None:
        """Record the message, or raise the next queued failure."""
        with self._lock:
            if self._failures:
                raise self._failures.pop(0)
            self.sent.append(message)
