"""The delete confirmation submitted (Delete); the primary contact is refused with a way out."""

from __future__ import annotations

from handlers.kit import SlackServices, idempotency_key
from handlers.views.forms import check_target, prepare, reply_where_asked, report, target_problems

check = check_target


def handler(services: SlackServices):
    def delete_technician(body, view, client, context):
        reply_where_asked(view, context)
        if target_problems(view):
            return
        actor, target, target_id = prepare(services, client, body, view, context)
        outcome = services.domain.delete_technician(
            actor, target, idempotency_key=idempotency_key(body)
        )
        report(services, client, body, context, target_id, outcome)

    return delete_technician
