"""Reading what the fake Slack received."""

from __future__ import annotations

import json
from typing import Any

from tests.slack_fakes import Call


def blocks(call: Call) -> list[dict[str, Any]]:
    value = call.args.get("blocks") or (call.args.get("view") or {}).get("blocks") or []
    return json.loads(value) if isinstance(value, str) else value


def view(call: Call) -> dict[str, Any]:
    value = call.args.get("view")
    return json.loads(value) if isinstance(value, str) else value


def action_ids(payload_blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in payload_blocks:
        for element in block.get("elements", []):
            if "action_id" in element:
                found.append(element["action_id"])
        accessory = block.get("accessory") or {}
        if "action_id" in accessory:
            found.append(accessory["action_id"])
        element = block.get("element") or {}
        if "action_id" in element:
            found.append(element["action_id"])
    return found


def find_element(payload_blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in payload_blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no element {action_id} in {json.dumps(payload_blocks)[:500]}")


def text_of(call: Call) -> str:
    """Everything a person could read in the call: text and blocks, as one string."""
    return json.dumps({"text": call.args.get("text"), "blocks": blocks(call)}, ensure_ascii=False)
