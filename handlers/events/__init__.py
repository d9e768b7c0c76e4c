"""Events API listeners: messages, mentions, shared links, App Home."""

from __future__ import annotations

from slack_bolt import App

from handlers.events import app_home_opened, app_mention, link_shared, message
from handlers.kit import SlackServices, lazy


def just_ack(ack):
    """Events are acknowledged at once; the work happens in the lazy listener."""
    ack()


def register(app: App, services: SlackServices) -> None:
    app.event("message")(ack=just_ack, lazy=[lazy(services, message.handler(services))])
    app.event("app_mention")(ack=just_ack, lazy=[lazy(services, app_mention.handler(services))])
    app.event("link_shared")(ack=just_ack, lazy=[lazy(services, link_shared.handler(services))])
    app.event("app_home_opened")(
        ack=just_ack, lazy=[lazy(services, app_home_opened.handler(services))]
    )
