"""/faq [question | id]: the answer only you see, with a Share in channel button."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.answering import card, render
from handlers.commands import CommandSpec
from handlers.kit import SlackServices, just_ack, lazy
from handlers.render.answers import topics

SPEC = CommandSpec(
    ids.FAQ,
    "[question | id]",
    "Answer a question privately, with a button to share it; no text lists the topics.",
)


def handler(services: SlackServices):
    def answer_faq(command, client, respond):
        text = (command.get("text") or "").strip()
        knowledge_base = services.faq.knowledge_base
        if not text:
            respond(
                **topics(knowledge_base, intro="Here is what I can help with:"),
                response_type="ephemeral",
            )
            return
        entry = knowledge_base.get(text.lower())
        if entry is not None:
            payload = card(services, client, entry, user_id=command["user_id"], share=True)
        else:
            match = services.faq.matcher.match(text)
            payload = render(
                services,
                client,
                match,
                user_id=command["user_id"],
                channel=command.get("channel_id"),
                message_ts=None,
                share=True,
            )
        respond(**payload, response_type="ephemeral")

    return answer_faq


def register(app: App, services: SlackServices) -> None:
    app.command(SPEC.name)(ack=just_ack, lazy=[lazy(services, handler(services))])
