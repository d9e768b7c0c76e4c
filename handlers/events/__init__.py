"""Events API listeners: messages, mentions, shared links, App Home."""

from __future__ import annotations

from slack_bolt import App

from handlers.deliveries import once_per_event
from handlers.events import app_home_opened, app_mention, link_shared, message
from handlers.kit import SlackServices, just_ack, lazy


def register(app: App, services: SlackServices) -> None:
    for event_type, module in (
        ("message", message),
        ("app_mention", app_mention),
        ("link_shared", link_shared),
        ("app_home_opened", app_home_opened),
    ):
        work = once_per_event(services, module.handler(services))
        app.event(event_type)(ack=just_ack, lazy=[lazy(services, work)])
