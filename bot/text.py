"""Plain-text checks shared by the command parsers and the domain (no Slack, no database).

Each runs in one pass over the text: command arguments come from anyone, and a regex that
backtracks would let a long argument hold a worker.
"""

from __future__ import annotations

import re

# C0 and C1 control characters (tab, line feed and carriage return are whitespace) and lone
# surrogates: no email or name contains them, PostgreSQL refuses NUL, and UTF-8 can't encode
# a surrogate.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_EMAIL = frozenset("@<>|")


def unsafe_character(text: str) -> str | None:
    """The first control character or lone surrogate in `text`, or None."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def describe_character(character: str) -> str:
    """'U+0000' for a character nobody can see."""
    return f"U+{ord(character):04X}"


def unsafe_character_problem(text: str) -> str | None:
    """What to tell a person whose text holds a control character or surrogate, or None."""
    character = unsafe_character(text)
    if character is None:
        return None
    return (
        f"The text contains an invisible control character ({describe_character(character)}), "
        "which no email address or name has. Type it again without it."
    )


def printable(text: str) -> str:
    """`text` with control characters and surrogates written as escapes (\\x00, \\ud800)."""
    return _UNSAFE.sub(lambda m: ascii(m.group())[1:-1], text)


def is_email(text: str) -> bool:
    """'local@domain.tld': one @, no spaces, <, >, | or control characters, a dot inside the
    domain."""
    local, at, domain = text.partition("@")
    if not (local and at and domain) or unsafe_character(text):
        return False
    if any(c in _NOT_IN_EMAIL or c.isspace() for c in local + domain):
        return False
    return "." in domain[1:-1]


def redact_credentials(url: str) -> str:
    """A URL safe to print: a user name and password, or what may be one, become ***."""
    scheme, has_scheme, rest = url.partition("://")
    prefix = f"{scheme}://" if has_scheme else ""
    if not has_scheme:
        rest = url
    _userinfo, at, host = rest.rpartition("@")
    if at:
        return f"{prefix}***@{host}"
    # No "@": in "smtp://user:secret" the password sits where the port goes.
    name, colon, port = rest.partition(":")
    if colon and not port.split("/")[0].isdigit():
        return f"{prefix}{name}:***"
    return url
