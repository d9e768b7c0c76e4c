"""'Answer with helpbot', second step: post the chosen answer in the message's thread."""

from __future__ import annotations

from handlers import ids
from handlers.kit import REPLY_CHANNEL_KEY, SlackServices, metadata
from handlers.render.answers import answer_card


def _chosen(view) -> str:
    values = (view.get("state") or {}).get("values") or {}
    picked = (values.get(ids.PICK_BLOCK, {}).get(ids.PICK_ACTION) or {}).get("selected_option")
    return (picked or {}).get("value") or ""


def check(ack, view):
    if not _chosen(view):
        ack(response_action="errors", errors={ids.PICK_BLOCK: "Choose an answer."})
        return
    ack()


def handler(services: SlackServices):
    def post_answer(view, client, context):
        if not _chosen(view):
            return  # the ack kept the modal open
        data = metadata(view)
        channel, thread_ts = data.get("c"), data.get("ts")
        entry = services.faq.knowledge_base.get(_chosen(view))
        if not isinstance(channel, str) or not isinstance(thread_ts, str) or entry is None:
            return
        context[REPLY_CHANNEL_KEY] = channel
        card = answer_card(entry, services.faq_url(entry.id))
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **card)

    return post_answer
