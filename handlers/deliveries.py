"""Answer each event once: Slack retries (X-Slack-Retry-Num) and duplicate deliveries are
acknowledged and dropped, across processes, through the domain's `claim_delivery`."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse

from handlers.kit import SlackServices

log = logging.getLogger(__name__)


def register(app: App, services: SlackServices) -> None:
    @app.middleware
    def answer_each_event_once(body, next):
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not services.domain.claim_delivery(f"slack:event:{event_id}"):
            log.info("dropping duplicate delivery of %s", event_id)
            return BoltResponse(status=200, body="")
        return next()
