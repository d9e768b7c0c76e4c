"""Small constructors for Block Kit elements, so that payload shapes live in one place."""

from __future__ import annotations

import json
from typing import Any

from handlers.render.text import (
    BUTTON_TEXT,
    BUTTON_VALUE,
    MODAL_TITLE,
    OPTION_TEXT,
    OPTION_VALUE,
    PRIVATE_METADATA,
    SECTION_TEXT,
    chunks,
    safe_cut,
    truncate,
)

Block = dict[str, Any]

# Blocks Slack accepts in a message, and in a modal or the Home tab.
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100


def _fits(value: str, limit: int) -> str:
    # A cut value would name something else (an email that doesn't exist): carry a reference.
    if len(value) > limit:
        raise ValueError(f"a value of {len(value)} characters is over Slack's limit of {limit}")
    return value


def plain_text(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    if len(text) > SECTION_TEXT:  # escaped text: never cut inside &amp; or <…|…>
        text = text[: safe_cut(text, SECTION_TEXT - 1)].rstrip() + "…"
    return {"type": "mrkdwn", "text": text}


def section(text: str, *, accessory: dict[str, Any] | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def sections(text: str) -> list[Block]:
    """Long mrkdwn text as as many sections as the 3,000-character limit needs."""
    return [section(piece) for piece in chunks(text)]


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(text, 150)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None, url: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain_text(text, BUTTON_TEXT),
        "action_id": action_id,
    }
    if value:
        element["value"] = _fits(value, BUTTON_VALUE)
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str, description: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "text": plain_text(text, OPTION_TEXT),
        "value": _fits(value, OPTION_VALUE),
    }
    if description:
        item["description"] = plain_text(description, OPTION_TEXT)
    return item


def input_block(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint, 2000)
    return block


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None = None,
    close: str = "Cancel",
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain_text(title, MODAL_TITLE),
        "close": plain_text(close, MODAL_TITLE),
        "blocks": _at_most(blocks, VIEW_BLOCKS),
    }
    if submit:
        view["submit"] = plain_text(submit, MODAL_TITLE)
    if metadata is not None:
        encoded = json.dumps(metadata, separators=(",", ":"))
        if len(encoded) > PRIVATE_METADATA:
            raise ValueError("private_metadata too long")
        view["private_metadata"] = encoded
    return view


def text_length(value: Any) -> int:
    """Characters of every string in a payload: an upper bound of what Slack counts towards
    msg_blocks_too_long (around 12,000)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(text_length(item) for item in value.values())
    if isinstance(value, list | tuple):
        return sum(text_length(item) for item in value)
    return 0


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """A message payload: fallback text (notifications, screen readers) and the blocks.

    `text` is mrkdwn like the blocks: whatever people, the directory or a payload wrote must be
    escaped in it too, or a name like "<!here>" pings everyone from the notification.
    """
    return {"text": truncate(text, 3000), "blocks": _at_most(blocks, MESSAGE_BLOCKS)}


def _at_most(blocks: list[Block], limit: int) -> list[Block]:
    # Slack would refuse more; dropping them silently would lose content: callers summarise.
    if len(blocks) > limit:
        raise ValueError(f"{len(blocks)} blocks is over Slack's limit of {limit}")
    return blocks
