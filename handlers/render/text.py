"""Text for Slack: escaping, neutralising markup echoed back, and Block Kit length limits."""

from __future__ import annotations

import re

# Block Kit limits (characters).
BUTTON_TEXT = 75
OPTION_TEXT = 75
HEADER_TEXT = 150
SECTION_TEXT = 3000
BUTTON_VALUE = 2000
OPTION_VALUE = 150
MODAL_TITLE = 24
PRIVATE_METADATA = 3000
MESSAGE_TEXT = 3000

_CONTROL = re.compile(r"<([^<>]*)>")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters (&, <, >)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _readable(control: str) -> str:
    # <@U123|name> <!channel> <#C123|general> <https://x|label> <mailto:a@b|a@b>
    target, _, label = control.partition("|")
    if target.startswith("@"):
        return f"@{label or target[1:]}"
    if target.startswith("!"):
        word = target[1:].split("^")[0]
        if word.startswith("subteam"):
            return f"@{label or 'group'}"
        return f"@{label or word}"
    if target.startswith("#"):
        return f"#{label or target[1:]}"
    return label or target


def plain(slack_text: str) -> str:
    """A person's Slack message as plain text: mentions and links become readable words."""
    return unescape(_CONTROL.sub(lambda m: _readable(m.group(1)), slack_text))


def echo(slack_text: str, limit: int = 1000) -> str:
    """A person's text, safe to show in mrkdwn: no pings, no links, no broken markup.

    Mentions become plain "@name" (with a zero-width space after the @ for @channel, @here and
    @everyone, so no client turns them into a broadcast), and &, <, > are escaped.
    """
    text = truncate(plain(slack_text), limit)
    text = _BROADCAST.sub(lambda m: f"@\u200b{m.group(1)}", text)
    return escape(text)


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote(text: str) -> str:
    """Escaped text as a mrkdwn block quote."""
    return "\n".join(f">{line}" for line in text.splitlines() or [""])


def unescape(slack_text: str) -> str:
    """Slack's three entities (&amp; &lt; &gt;) back to characters, once, in one pass."""
    return re.sub("&(lt|gt|amp);", lambda m: _ENTITY[m.group(0)], slack_text)


def mention(user_id: str) -> str:
    """A mention of a Slack user id we got from Slack itself (never from free text)."""
    if not re.fullmatch(r"[UW][A-Z0-9]{2,}", user_id):
        return escape(user_id)
    return f"<@{user_id}>"


def channel_link(channel_id: str) -> str | None:
    """A link to a public or private channel by id, or None when it is not a channel id."""
    if not re.fullmatch(r"[CG][A-Z0-9]{2,}", channel_id):
        return None
    return f"<#{channel_id}>"


def link(url: str, label: str) -> str:
    """A mrkdwn link; the label is escaped and may not contain '|'."""
    return f"<{url}|{escape(label).replace('|', '¦')}>"


def chunks(text: str, limit: int = SECTION_TEXT) -> list[str]:
    """Split long text on line breaks into pieces of at most `limit` characters."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > limit:
            cut = safe_cut(line, limit)
            pieces.append(line[:cut])
            line = line[cut:]
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current or not pieces:
        pieces.append(current)
    return pieces


def safe_cut(text: str, limit: int) -> int:
    """Where to cut escaped mrkdwn at most `limit` long: at a space if one is near, and never
    inside an entity (&amp;) or a <…> control sequence."""
    cut = limit
    space = text.rfind(" ", limit - 200, limit)
    if space > 0:
        cut = space + 1
    amp, semi = text.rfind("&", 0, cut), text.rfind(";", 0, cut)
    if amp > semi and cut - amp < 8:
        cut = amp
    less, more = text.rfind("<", 0, cut), text.rfind(">", 0, cut)
    if less > more and less > 0:
        cut = less
    return cut
