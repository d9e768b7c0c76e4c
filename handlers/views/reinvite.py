"""The Invitation modal submitted (SEND): a new invitation with the chosen options."""

from __future__ import annotations

from handlers.kit import SlackServices, idempotency_key
from handlers.views.forms import (
    checker,
    kind_and_sms,
    prepare,
    reinvite_problems,
    reply_where_asked,
    report,
)

check = checker(reinvite_problems)


def handler(services: SlackServices):
    def send_invitation(body, view, client, context):
        reply_where_asked(view, context)
        if reinvite_problems(view):
            return
        actor, target, target_id = prepare(services, client, body, view, context)
        kind, sms = kind_and_sms(view)
        outcome = services.domain.resend_invitation(
            actor, target, kind=kind, require_sms=sms, idempotency_key=idempotency_key(body)
        )
        report(services, client, body, context, target_id, outcome)

    return send_invitation
