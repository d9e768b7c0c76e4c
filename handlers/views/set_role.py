"""The Change role modal submitted (OK)."""

from __future__ import annotations

from handlers import ids
from handlers.domain import parse_role
from handlers.kit import SlackServices, idempotency_key
from handlers.parsing import FormInvalid
from handlers.views.forms import (
    check_target,
    prepare,
    reply_where_asked,
    report,
    selected_value,
    target_problems,
)

check = check_target


def handler(services: SlackServices):
    def change_role(body, view, client, context):
        reply_where_asked(view, context)
        if target_problems(view):
            return
        actor, target, target_id = prepare(services, client, body, view, context)
        chosen = selected_value(view, ids.ROLE_BLOCK, ids.ROLE_ACTION)
        if chosen is None:
            raise FormInvalid  # a required input: Slack always sends it
        role = parse_role(chosen)
        outcome = services.domain.change_role(
            actor, target, role, idempotency_key=idempotency_key(body)
        )
        report(services, client, body, context, target_id, outcome)

    return change_role
