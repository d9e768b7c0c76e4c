"""'Email me a password reset link' under the forgot-password answer."""

from __future__ import annotations

from handlers.kit import SlackServices, confirm_done, idempotency_key


def handler(services: SlackServices):
    def send_reset_link(body, client, context, respond):
        actor = services.actor(client, body["user"]["id"])
        outcome = services.domain.request_password_reset(
            actor, idempotency_key=idempotency_key(body)
        )
        confirm_done(services, body, client, context, respond, outcome)

    return send_reset_link
