"""'Email me a password reset link' under the forgot-password answer, and the reset of
someone else's password (/reset-password @user, 'Reset password' on a user card)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from handlers.kit import TARGET_KEY, SlackServices, confirm_done, idempotency_key, user_id_of


def send_reset_link(
    services: SlackServices,
    body: dict[str, Any],
    client: WebClient,
    context: dict[str, Any],
    respond: Any,
    target: str | None = None,
    target_slack_id: str | None = None,
) -> None:
    """Email a reset link to `target` (the person asking when None), confirm, tell them."""
    actor = services.actor(client, str(user_id_of(body)))
    if target:
        context[TARGET_KEY] = target
    outcome = services.domain.request_password_reset(
        actor, target, idempotency_key=idempotency_key(body)
    )
    confirm_done(services, body, client, context, respond, outcome, target_slack_id)


def handler(services: SlackServices):
    def reset_own_password(body, client, context, respond):
        send_reset_link(services, body, client, context, respond)

    return reset_own_password
