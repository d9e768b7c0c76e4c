"""Action buttons on answers, on App Home and on refusals: reset link, invitation, role, delete."""

from __future__ import annotations

from handlers.kit import SlackServices, idempotency_key, reply_privately
from handlers.render.admin import (
    delete_modal,
    reinvite_modal,
    result,
    set_role_modal,
    target_label,
)


def _target(action: dict) -> str | None:
    """Buttons naming a user carry 'email:<address>'; answer and home buttons don't."""
    value = action.get("value") or ""
    return value[len("email:") :] if value.startswith("email:") else None


def _metadata(body: dict, target: str | None) -> dict:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return {"target": target, "target_id": None, "channel": channel}


def reset_password(services: SlackServices):
    def send_reset_link(body, client, context, respond):
        actor = services.actor(client, body["user"]["id"])
        outcome = services.domain.request_password_reset(
            actor, idempotency_key=idempotency_key(body)
        )
        reply_privately(body, client, context, respond, result(outcome))

    return send_reset_link


def open_reinvite(services: SlackServices):
    def open_invitation(action, body, client):
        target = _target(action)
        view = reinvite_modal(target_label(target, None), _metadata(body, target))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return open_invitation


def open_set_role(services: SlackServices):
    def open_role(action, body, client):
        target = _target(action)
        view = set_role_modal(target_label(target, None), _metadata(body, target))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return open_role


def open_delete(services: SlackServices):
    def open_confirm(action, body, client):
        target = _target(action)
        view = delete_modal(target_label(target, None), _metadata(body, target))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return open_confirm
