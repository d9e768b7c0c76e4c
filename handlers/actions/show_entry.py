"""'Show' next to a topic: in a message (the /faq list) privately; in App Home or a modal,
as a modal."""

from __future__ import annotations

from handlers.answering import card
from handlers.kit import SlackServices
from handlers.render.home import entry_modal


def handler(services: SlackServices):
    def show(action, body, client, respond):
        entry = services.faq.knowledge_base.get(action.get("value") or "")
        if entry is None:
            return
        container = body.get("container") or {}
        if container.get("type") == "message":
            payload = card(services, client, entry, user_id=body["user"]["id"], share=True)
            respond(**payload, response_type="ephemeral", replace_original=False)
        elif (body.get("view") or {}).get("type") == "modal":
            client.views_push(
                trigger_id=body["trigger_id"], view=entry_modal(entry, services.faq_url(entry.id))
            )
        else:
            client.views_open(
                trigger_id=body["trigger_id"], view=entry_modal(entry, services.faq_url(entry.id))
            )

    return show
