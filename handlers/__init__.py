"""Thin Slack listeners: ack, parse, call one domain or FAQ function, render Block Kit.

One package per listener kind (events, commands, actions, views, shortcuts), each with
`register(app, services)`; Slack ids live in `handlers.ids`, Block Kit in `handlers.render`,
and errors become replies in `handlers.errors` only.
"""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers.kit import People, SlackServices


def register(app: App, services: Services, *, people: People | None = None) -> SlackServices:
    """Attach every listener to `app`; returns the services the listeners share."""
    from handlers import actions, commands, errors, events, shortcuts, views, well_formed

    slack_services = SlackServices(
        services=services, domain=services.domain, people=people or People()
    )
    errors.register(app, slack_services)
    well_formed.register(app)
    for package in (events, commands, actions, views, shortcuts):
        package.register(app, slack_services)
    return slack_services
