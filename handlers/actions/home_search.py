"""App Home 'Search the FAQ': the search modal."""

from __future__ import annotations

from handlers.kit import SlackServices
from handlers.render.home import search_modal


def handler(services: SlackServices):
    def open_search_modal(body, client):
        client.views_open(trigger_id=body["trigger_id"], view=search_modal())

    return open_search_modal
