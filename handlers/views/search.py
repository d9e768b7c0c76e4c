"""The FAQ search modal (from App Home): the answer replaces the question form."""

from __future__ import annotations

from handlers import ids
from handlers.kit import SlackServices
from handlers.render.home import search_results


def handler(services: SlackServices):
    def search(ack, view):
        values = (view.get("state") or {}).get("values") or {}
        text = (values.get(ids.SEARCH_BLOCK, {}).get(ids.SEARCH_ACTION) or {}).get("value") or ""
        if not text.strip():
            ack(response_action="errors", errors={ids.SEARCH_BLOCK: "Type a question."})
            return
        match = services.faq.matcher.match(text[:500])
        ack(response_action="update", view=search_results(match, services.faq_url))

    return search
