"""/set-role @user ROLE: change a user's role (site-manager, technician, install-technician)."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.commands import CommandSpec
from handlers.kit import SlackServices, confirm_done, idempotency_key, lazy
from handlers.parsing import parse_set_role

SPEC = CommandSpec(
    ids.SET_ROLE,
    "@user ROLE",
    "Change a user's role: site-manager, technician or install-technician.",
    managers_only=True,
)
USAGE = f"{SPEC.name} {SPEC.usage}"


def check(ack, command):
    parse_set_role(command.get("text") or "", USAGE)
    ack()


def handler(services: SlackServices):
    def set_role(command, client, respond, body, context):
        args = parse_set_role(command.get("text") or "", USAGE)
        actor = services.actor(client, command["user_id"])
        target = services.target_email(client, args.user)
        outcome = services.domain.change_role(
            actor, target, args.role, idempotency_key=idempotency_key(body)
        )
        confirm_done(services, body, client, context, respond, outcome, args.user.slack_user_id)

    return set_role


def register(app: App, services: SlackServices) -> None:
    app.command(SPEC.name)(ack=check, lazy=[lazy(services, handler(services))])
