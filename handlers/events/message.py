"""Direct messages, and top-level questions in HELPBOT_HELP_CHANNELS (answered when confident)."""

from __future__ import annotations

from handlers.answering import answer_in_conversation
from handlers.kit import SlackServices


def from_a_person(event: dict) -> bool:
    """Plain messages by people: no edits, joins, bot posts (ours or others')."""
    return not event.get("subtype") and not event.get("bot_id") and bool(event.get("user"))


def handler(services: SlackServices):
    def on_message(event, client, context):
        if not from_a_person(event) or event.get("user") == context.get("bot_user_id"):
            return
        text = event.get("text") or ""
        channel = event["channel"]
        if event.get("channel_type") == "im":
            answer_in_conversation(
                services,
                client,
                text=text,
                user_id=event["user"],
                channel=channel,
                message_ts=event["ts"],
                thread_ts=event.get("thread_ts"),
            )
            return
        if channel not in services.settings.help_channels or event.get("thread_ts"):
            return
        bot_user_id = context.get("bot_user_id")
        if bot_user_id and f"<@{bot_user_id}" in text:
            return  # a mention: app_mention answers it
        answer_in_conversation(
            services,
            client,
            text=text,
            user_id=event["user"],
            channel=channel,
            message_ts=event["ts"],
            thread_ts=event["ts"],
            confident_only=True,
        )

    return on_message
