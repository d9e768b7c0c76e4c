"""'Share in channel' under a /faq answer: posts the answer for everyone."""

from __future__ import annotations

from handlers.kit import SlackServices
from handlers.render.answers import answer_card


def handler(services: SlackServices):
    def share(action, respond):
        entry = services.faq.knowledge_base.get(action.get("value") or "")
        if entry is None:
            return
        respond(
            **answer_card(entry, services.faq_url(entry.id)),
            response_type="in_channel",
            replace_original=False,
        )
        respond(delete_original=True)

    return share
