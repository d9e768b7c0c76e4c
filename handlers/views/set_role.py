"""The Change role modal submitted (OK)."""

from __future__ import annotations

from handlers import ids
from handlers.domain import parse_role
from handlers.kit import SlackServices, idempotency_key
from handlers.views.forms import check_target, prepare, report, target_problems, value

check = check_target


def handler(services: SlackServices):
    def change_role(body, view, client, context):
        if target_problems(view):
            return
        actor, target, target_id = prepare(services, client, body, view, context)
        chosen = value(view, ids.ROLE_BLOCK, ids.ROLE_ACTION).get("selected_option") or {}
        role = parse_role(chosen.get("value") or "")
        outcome = services.domain.change_role(
            actor, target, role, idempotency_key=idempotency_key(body)
        )
        report(services, client, body, context, target_id, outcome)

    return change_role
