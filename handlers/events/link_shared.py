"""A HELPBOT_BASE_URL/faq/<id> link pasted anywhere unfurls into the answer card."""

from __future__ import annotations

from urllib.parse import urlsplit

from handlers.kit import SlackServices
from handlers.render.answers import unfurl


def entry_id_of(url: str, base_url: str) -> str | None:
    """'https://help.example.com/faq/forgot-password?x#y' -> 'forgot-password'."""
    base = urlsplit(base_url)
    link = urlsplit(url)
    if link.netloc.lower() != base.netloc.lower():
        return None
    prefix = base.path.rstrip("/") + "/faq/"
    if not link.path.startswith(prefix):
        return None
    rest = link.path[len(prefix) :].strip("/")
    return rest or None


def handler(services: SlackServices):
    def on_link_shared(event, client):
        knowledge_base = services.faq.knowledge_base
        unfurls = {}
        for item in event.get("links") or []:
            url = item.get("url") or ""
            entry_id = entry_id_of(url, services.settings.base_url)
            entry = knowledge_base.get(entry_id) if entry_id else None
            if entry is not None:
                unfurls[url] = unfurl(entry, services.faq_url(entry.id))
        if not unfurls:
            return
        if event.get("unfurl_id") and event.get("source"):
            client.chat_unfurl(
                unfurl_id=event["unfurl_id"], source=event["source"], unfurls=unfurls
            )
        else:
            client.chat_unfurl(channel=event["channel"], ts=event["message_ts"], unfurls=unfurls)

    return on_link_shared
