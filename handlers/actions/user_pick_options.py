"""Options for the user picker in modals: the actor's team, searched by what they type."""

from __future__ import annotations

from handlers.domain import DomainError
from handlers.kit import SlackServices
from handlers.render.admin import role_label
from handlers.render.kit import option


def handler(services: SlackServices):
    def suggest_users(ack, body, client):
        try:
            actor = services.actor(client, body["user"]["id"])
            users = services.domain.find_users(actor, (body.get("value") or "")[:100], limit=20)
        except DomainError:
            users = []
        ack(
            options=[
                option(f"{u.name} ({u.email})", u.ref, role_label(u.role))  # an email may not fit
                for u in users
                if u.status == "active"
            ]
        )

    return suggest_users
