"""/team and App Home 'My Team': the Previous / Next page buttons redraw the message."""

from __future__ import annotations

import json

from handlers.kit import SlackServices
from handlers.render.admin import TEAM_PAGE_SIZE, team


def page_of(value: str) -> tuple[str, int]:
    """The search and offset a page button carries; anything malformed is the first page."""
    try:
        parsed = json.loads(value)
        query, offset = str(parsed.get("q") or "")[:100], int(parsed.get("o") or 0)
    except (ValueError, TypeError, AttributeError):
        return "", 0
    return query, max(0, offset)


def handler(services: SlackServices):
    def show_page(action, body, client, respond):
        query, offset = page_of(action.get("value") or "")
        actor = services.actor(client, body["user"]["id"])
        page = services.domain.team_page(actor, query, offset=offset, page_size=TEAM_PAGE_SIZE)
        payload = team(page, services.domain.capabilities(actor).account)
        if body.get("response_url"):
            respond(**payload, replace_original=True)
        else:  # a message without a response_url: update it in place
            container = body.get("container") or {}
            client.chat_update(
                channel=container["channel_id"], ts=container["message_ts"], **payload
            )

    return show_page
