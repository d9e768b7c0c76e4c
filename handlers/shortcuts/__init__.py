"""Shortcuts: the message shortcut 'Answer with helpbot'."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.kit import SlackServices, just_ack, lazy
from handlers.shortcuts import answer_with_helpbot


def register(app: App, services: SlackServices) -> None:
    app.shortcut(ids.ANSWER_WITH_HELPBOT)(
        ack=just_ack, lazy=[lazy(services, answer_with_helpbot.handler(services))]
    )
