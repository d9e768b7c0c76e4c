"""App Home 'My Team': the team's user cards, in a direct message."""

from __future__ import annotations

from handlers.kit import SlackServices
from handlers.render.admin import TEAM_PAGE_SIZE, team


def handler(services: SlackServices):
    def post_team(body, client):
        user_id = body["user"]["id"]
        actor = services.actor(client, user_id)
        page = services.domain.team_page(actor, page_size=TEAM_PAGE_SIZE)
        account = services.domain.capabilities(actor).account
        client.chat_postMessage(channel=user_id, **team(page, account))

    return post_team
