"""'Answer with helpbot' on a message: support sees the top matches for it and picks one."""

from __future__ import annotations

from handlers.kit import SlackServices
from handlers.render.home import pick_answer_modal

TOP = 5


def handler(services: SlackServices):
    def suggest_answers(shortcut, client):
        message = shortcut.get("message") or {}
        text = message.get("text") or ""
        matcher = services.faq.matcher
        ranked = [a.entry for a in matcher.scores(matcher.analyse(text))[:TOP]]
        candidates = ranked or list(services.faq.knowledge_base)
        metadata = {
            "c": (shortcut.get("channel") or {}).get("id"),
            "ts": message.get("thread_ts") or message.get("ts"),
        }
        client.views_open(
            trigger_id=shortcut["trigger_id"],
            view=pick_answer_modal(candidates, metadata, text),
        )

    return suggest_answers
