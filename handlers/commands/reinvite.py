"""/reinvite @user [mobile|web] [sms]: send a new invitation; without options, the Invitation
screen as a modal."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.commands import CommandSpec
from handlers.domain import REINVITE
from handlers.kit import SlackServices, confirm_done, idempotency_key, lazy
from handlers.parsing import parse_reinvite
from handlers.render.admin import reinvite_modal, target_label

SPEC = CommandSpec(
    ids.REINVITE,
    "@user [mobile|web] [sms]",
    "Send a user a new invitation (mobile by default; sms requires SMS verification).",
    managers_only=True,
)
USAGE = f"{SPEC.name} {SPEC.usage}"


def check(ack, command):
    parse_reinvite(command.get("text") or "", USAGE)  # a UsageError becomes the reply
    ack()


def handler(services: SlackServices):
    def reinvite(command, client, respond, body, context):
        args = parse_reinvite(command.get("text") or "", USAGE)
        if args.kind is None:
            target = services.target_email(client, args.user)
            services.check_form(client, context, command["user_id"], REINVITE, target)
            metadata = {
                "target": args.user.email,
                "target_id": args.user.slack_user_id,
                "channel": command.get("channel_id"),
            }
            client.views_open(
                trigger_id=command["trigger_id"],
                view=reinvite_modal(
                    target_label(args.user.email, args.user.slack_user_id), metadata
                ),
            )
            return
        actor = services.actor(client, command["user_id"])
        target = services.target_email(client, args.user)
        outcome = services.domain.resend_invitation(
            actor,
            target,
            kind=args.kind,
            require_sms=args.require_sms,
            idempotency_key=idempotency_key(body),
        )
        confirm_done(services, body, client, context, respond, outcome, args.user.slack_user_id)

    return reinvite


def register(app: App, services: SlackServices) -> None:
    app.command(SPEC.name)(ack=check, lazy=[lazy(services, handler(services))])
