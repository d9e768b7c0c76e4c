"""/delete-technician @user: delete a technician, after a confirmation dialog."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.commands import CommandSpec
from handlers.domain import DELETE_TECHNICIAN
from handlers.kit import SlackServices, lazy
from handlers.parsing import parse_single_user
from handlers.render.admin import delete_modal, target_label

SPEC = CommandSpec(
    ids.DELETE_TECHNICIAN,
    "@user",
    "Delete a technician (you confirm first; a primary contact needs a role change first).",
    managers_only=True,
)
USAGE = f"{SPEC.name} {SPEC.usage}"


def check(ack, command):
    parse_single_user(command.get("text") or "", USAGE)
    ack()


def handler(services: SlackServices):
    def confirm_delete(command, client, context):
        user = parse_single_user(command.get("text") or "", USAGE)
        target = services.target_email(client, user)
        services.check_form(client, context, command["user_id"], DELETE_TECHNICIAN, target)
        metadata = {
            "target": user.email,
            "target_id": user.slack_user_id,
            "channel": command.get("channel_id"),
        }
        client.views_open(
            trigger_id=command["trigger_id"],
            view=delete_modal(target_label(user.email, user.slack_user_id), metadata),
        )

    return confirm_delete


def register(app: App, services: SlackServices) -> None:
    app.command(SPEC.name)(ack=check, lazy=[lazy(services, handler(services))])
