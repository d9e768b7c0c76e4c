"""Refuse signed payloads of a shape Slack never sends, before Bolt's own code trips on them.

Bolt reads `view`, `event` and `actions[0]` as objects even to log an unhandled request, so a
payload with `"view": []` would end in a traceback. Such a payload is answered 400 and logged
by its type only (never its body).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse

log = logging.getLogger("handlers.well_formed")

_OBJECTS = ("view", "event", "container", "message")


def problem(body: Any) -> str | None:
    """What is wrong with the payload's shape, or None when Slack could have sent it."""
    if not isinstance(body, dict):
        return "not an object"
    for key in _OBJECTS:
        if key in body and not isinstance(body[key], dict):
            return f"{key} is not an object"
    actions = body.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        return "actions is not a list of objects"
    return None


def register(app: App) -> None:
    """Run `reject_malformed` before every listener."""

    @app.middleware
    def reject_malformed(body, next):  # Bolt injects arguments by name
        wrong = problem(body)
        if wrong is None:
            return next()
        kind = body.get("type") if isinstance(body, dict) else None
        log.warning("refused a malformed payload (type %r): %s", str(kind)[:40], wrong)
        return BoltResponse(status=400, body="")
