"""Answer each event once: Slack's retries (X-Slack-Retry-Num) and duplicate deliveries of an
event are acknowledged like the first, then dropped before any work, across processes and
servers, through the domain's `claim_delivery` (one row per event id in the database).

The claim is made after the ack, in the lazy listener, so that the database write never
delays Slack's 3-second acknowledgement.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from handlers.kit import SlackServices

log = logging.getLogger(__name__)


def once_per_event(services: SlackServices, function: Callable[..., None]) -> Callable[..., None]:
    """Run `function(event, body, client, context)` only for the first delivery of an event."""

    def first_delivery_only(event, body, client, context):
        event_id = body.get("event_id")
        key = f"slack:event:{event_id}:{function.__name__}"
        if event_id and not services.domain.claim_delivery(key):
            log.info("dropping a repeated delivery of %s", event_id)
            return
        function(**_wanted(function, event=event, body=body, client=client, context=context))

    first_delivery_only.__name__ = function.__name__
    first_delivery_only.__qualname__ = function.__qualname__
    return first_delivery_only


def _wanted(function: Callable[..., None], **available: Any) -> dict[str, Any]:
    return {name: available[name] for name in inspect.getfullargspec(function).args}
