"""👍 / 👎 under an answer: one vote per person per answer (a new vote replaces the old)."""

from __future__ import annotations

from handlers import ids
from handlers.kit import SlackServices, reply_privately


def handler(services: SlackServices):
    def record_vote(action, body, client, context, respond):
        entry_id = action.get("value") or ""
        if entry_id not in services.faq.knowledge_base:
            return
        helpful = action["action_id"] == ids.FEEDBACK_HELPFUL
        services.domain.record_feedback(f"slack:{body['user']['id']}", entry_id, helpful)
        thanks = (
            "Thanks! Glad it helped."
            if helpful
            else "Thanks for telling me. If you still need help, ask in other words or ask support."
        )
        reply_privately(body, client, context, respond, {"text": thanks})

    return record_vote
