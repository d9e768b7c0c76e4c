"""@helpbot in a channel: answered in the message's thread."""

from __future__ import annotations

import re

from handlers.answering import answer_in_conversation
from handlers.events.message import from_a_person
from handlers.kit import SlackServices

_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


def handler(services: SlackServices):
    def on_app_mention(event, client, context):
        if not from_a_person(event) or event.get("user") == context.get("bot_user_id"):
            return
        bot_user_id = context.get("bot_user_id")
        text = event.get("text") or ""
        if bot_user_id:
            text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
        else:
            text = _MENTION.sub(" ", text, count=1)
        answer_in_conversation(
            services,
            client,
            text=text.strip(),
            user_id=event["user"],
            channel=event["channel"],
            message_ts=event["ts"],
            thread_ts=event.get("thread_ts") or event["ts"],
        )

    return on_app_mention
