"""/reset-password [@user]: email a password reset link (to yourself when no one is named)."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.actions.reset_password import send_reset_link
from handlers.commands import CommandSpec
from handlers.kit import SlackServices, lazy
from handlers.parsing import parse_reset_password

SPEC = CommandSpec(
    ids.RESET_PASSWORD,
    "[@user]",
    "Email a password reset link: to yourself, or (Site Managers) to a user of your team.",
)
USAGE = f"{SPEC.name} {SPEC.usage}"


def check(ack, command):
    parse_reset_password(command.get("text") or "", USAGE)  # a UsageError becomes the reply
    ack()


def handler(services: SlackServices):
    def reset_password(command, body, client, context, respond):
        user = parse_reset_password(command.get("text") or "", USAGE)
        target = services.target_email(client, user) if user else None
        target_id = user.slack_user_id if user else None
        send_reset_link(services, body, client, context, respond, target, target_id)

    return reset_password


def register(app: App, services: SlackServices) -> None:
    app.command(SPEC.name)(ack=check, lazy=[lazy(services, handler(services))])
