"""/team [search]: your team's user cards, each with Invite, Change role and Delete."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.commands import CommandSpec
from handlers.kit import SlackServices, just_ack, lazy
from handlers.render.admin import TEAM_PAGE_SIZE, team
from handlers.render.text import plain

SPEC = CommandSpec(
    ids.TEAM,
    "[search]",
    "Show your team (the My Team screen), optionally only users matching a search.",
    managers_only=True,
)


def handler(services: SlackServices):
    def show_team(command, client, respond):
        query = " ".join(plain(command.get("text") or "").split())[:100]
        actor = services.actor(client, command["user_id"])
        page = services.domain.team_page(actor, query, page_size=TEAM_PAGE_SIZE)
        account = services.domain.capabilities(actor).account
        respond(**team(page, account), response_type="ephemeral")

    return show_team


def register(app: App, services: SlackServices) -> None:
    app.command(SPEC.name)(ack=just_ack, lazy=[lazy(services, handler(services))])
