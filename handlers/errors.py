"""The one place where errors become replies.

A `DomainError` (a refusal the domain explains) becomes a specific ephemeral reply to the
person who asked; anything else is a bug: it is logged with its traceback and the person gets
a short apology, never the exception text. `app.error` and every lazy listener end up here.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltResponse

from bot.app import SlackUnavailable
from handlers.domain import (
    DomainError,
    NotInDirectory,
    PrimaryContactCannotBeDeleted,
    UnknownActor,
)
from handlers.kit import ANSWERED_KEY, TARGET_KEY, VERIFIED_KEY, body_type, reply_privately
from handlers.render.admin import primary_contact_refusal, refusal
from handlers.render.kit import message, section

if TYPE_CHECKING:
    from handlers.kit import SlackServices

log = logging.getLogger("handlers.errors")

APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't finish that. "
    "Please try again in a minute; if it keeps happening, tell support."
)


def reply_for(
    error: Exception, context: dict[str, Any], support_channel: str | None = None
) -> dict[str, Any]:
    """The message payload a person sees for this error."""
    if isinstance(error, PrimaryContactCannotBeDeleted):
        target = getattr(error, "target_email", None) or context.get(TARGET_KEY)
        return primary_contact_refusal(error.user_message, target)
    if isinstance(error, UnknownActor | NotInDirectory):
        return refusal(error.user_message, support_channel=support_channel)
    if isinstance(error, DomainError):
        return refusal(error.user_message)
    return message(APOLOGY, [section(f"😕 {APOLOGY}")])


def describe(body: dict[str, Any]) -> str:
    """A short, secret-free description of a request for the log."""
    kind = body_type(body)
    if kind == "command":
        return f"command {body.get('command')}"
    if kind == "event_callback":
        event = body.get("event") or {}
        return f"event {event.get('type')} {body.get('event_id')}"
    if kind == "block_actions":
        action = (body.get("actions") or [{}])[0]
        return f"action {action.get('action_id')}"
    if kind in ("view_submission", "view_closed"):
        return f"{kind} {(body.get('view') or {}).get('callback_id')}"
    return f"{kind} {body.get('callback_id', '')}".strip()


def report(
    error: Exception,
    *,
    body: dict[str, Any],
    client: Any,
    context: dict[str, Any],
    respond: Any,
    logger: logging.Logger | None = None,
    services: SlackServices | None = None,
    in_ack: bool = False,
) -> BoltResponse | None:
    """Tell the person; log bugs with traceback. Returns the HTTP response when still acking.

    A request that was never verified (its signature check itself failed) gets a bare 401:
    its response_url, user and channel are the sender's choice, so nothing is sent anywhere.
    """
    if not context.get(VERIFIED_KEY):
        log.warning("refused an unverified request: %s", type(error).__name__)
        return BoltResponse(status=401, body="") if in_ack else None
    if isinstance(error, SlackUnavailable):  # not a bug: Slack retries the event
        log.error("could not authorise %s: %s", describe(body), error)
    elif not isinstance(error, DomainError):
        log.error("unexpected error handling %s", describe(body), exc_info=error)
    support = services.settings.support_channel if services is not None else None
    payload = reply_for(error, context, support)
    kind = body_type(body)
    if in_ack and kind == "command":
        # Still answering Slack's request: the reply is the HTTP response itself, and the
        # command's lazy listener (started anyway) must not run into the same error again.
        context[ANSWERED_KEY] = True
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", **payload}),
            headers={"content-type": ["application/json;charset=utf-8"]},
        )
    if in_ack and kind == "event_callback" and not isinstance(error, DomainError):
        return None  # keep the 500: Slack may deliver the event again
    try:
        reply_privately(body, client, context, respond, payload)
    except Exception:
        log.warning("could not tell the user about an error in %s", describe(body), exc_info=True)
    return BoltResponse(status=200, body="") if in_ack else None


def register(app: Any, services: SlackServices) -> None:
    """Route every listener and middleware error through `report`."""

    @app.error
    def on_error(error, body, client, context, respond, logger, response):
        return report(
            error,
            body=body,
            client=client,
            context=context,
            respond=respond,
            logger=logger,
            services=services,
            in_ack=response is not None,
        )
