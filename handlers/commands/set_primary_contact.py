"""/set-primary-contact @user: make someone their account's Primary Contact."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.commands import CommandSpec
from handlers.kit import SlackServices, confirm_done, idempotency_key, lazy
from handlers.parsing import parse_single_user

SPEC = CommandSpec(
    ids.SET_PRIMARY_CONTACT,
    "@user",
    "Make a user their account's Primary Contact (not an Install Technician).",
    managers_only=True,
)
USAGE = f"{SPEC.name} {SPEC.usage}"


def check(ack, command):
    parse_single_user(command.get("text") or "", USAGE)
    ack()


def handler(services: SlackServices):
    def set_primary_contact(command, client, respond, body, context):
        user = parse_single_user(command.get("text") or "", USAGE)
        actor = services.actor(client, command["user_id"])
        target = services.target_email(client, user)
        outcome = services.domain.set_primary_contact(
            actor, target, idempotency_key=idempotency_key(body)
        )
        confirm_done(services, body, client, context, respond, outcome, user.slack_user_id)

    return set_primary_contact


def register(app: App, services: SlackServices) -> None:
    app.command(SPEC.name)(ack=check, lazy=[lazy(services, handler(services))])
