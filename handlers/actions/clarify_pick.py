"""A "Did you mean…" button: the chosen answer replaces the question."""

from __future__ import annotations

from handlers.answering import card
from handlers.kit import SlackServices


def handler(services: SlackServices):
    def pick(action, body, client, respond):
        entry = services.faq.knowledge_base.get(action.get("value") or "")
        if entry is None:
            respond(
                text="That topic no longer exists. Ask me again.",
                replace_original=False,
                response_type="ephemeral",
            )
            return
        payload = card(services, client, entry, user_id=body["user"]["id"])
        respond(**payload, replace_original=True)

    return pick
