"""App Home 'My Team': the team's user cards, in a direct message."""

from __future__ import annotations

from handlers.kit import SlackServices
from handlers.render.admin import team


def handler(services: SlackServices):
    def post_team(body, client):
        user_id = body["user"]["id"]
        actor = services.actor(client, user_id)
        users = services.domain.find_users(actor, "", limit=50)
        account = services.domain.capabilities(actor).account
        client.chat_postMessage(channel=user_id, **team(users, "", account))

    return post_team
