"""App Home buttons: search the FAQ, My Team."""

from __future__ import annotations

from handlers.kit import SlackServices
from handlers.render.admin import team
from handlers.render.home import search_modal


def open_search(services: SlackServices):
    def open_search_modal(body, client):
        client.views_open(trigger_id=body["trigger_id"], view=search_modal())

    return open_search_modal


def show_team(services: SlackServices):
    def post_team(body, client):
        user_id = body["user"]["id"]
        actor = services.actor(client, user_id)
        users = services.domain.find_users(actor, "", limit=50)
        account = services.domain.capabilities(actor).account
        client.chat_postMessage(channel=user_id, **team(users, "", account))

    return post_team
