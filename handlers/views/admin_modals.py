"""Submitting the Invitation, Change role and Delete modals: the domain acts, then we report."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from handlers import ids
from handlers.domain import parse_role
from handlers.kit import (
    REPLY_CHANNEL_KEY,
    TARGET_KEY,
    SlackServices,
    idempotency_key,
    metadata,
    reply_privately,
)
from handlers.parsing import UserRef
from handlers.render.admin import result


def _value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}


def _picked_target(view: dict[str, Any]) -> str | None:
    known = metadata(view).get("target")
    if isinstance(known, str) and known:
        return known
    picked = _value(view, ids.USER_PICK_BLOCK, ids.USER_PICK_ACTION).get("selected_option")
    return (picked or {}).get("value")


def _has_target(view: dict[str, Any]) -> bool:
    data = metadata(view)
    return bool(data.get("target") or data.get("target_id") or _picked_target(view))


def _kind_and_sms(view: dict[str, Any]) -> tuple[str, bool]:
    kind = (
        _value(view, ids.INVITE_KIND_BLOCK, ids.INVITE_KIND_ACTION).get("selected_option") or {}
    ).get("value") or ids.INVITE_KIND_MOBILE
    boxes = _value(view, ids.INVITE_SMS_BLOCK, ids.INVITE_SMS_ACTION).get("selected_options")
    sms = any(box.get("value") == ids.INVITE_SMS_VALUE for box in boxes or [])
    return kind, sms


def target_problems(view: dict[str, Any]) -> dict[str, str]:
    """Input errors of the Change role and Delete modals, by block_id (empty when fine)."""
    return {} if _has_target(view) else {ids.USER_PICK_BLOCK: "Choose a user."}


def reinvite_problems(view: dict[str, Any]) -> dict[str, str]:
    """Input errors of the Invitation modal, by block_id (empty when fine)."""
    kind, sms = _kind_and_sms(view)
    if not _has_target(view):
        return {ids.USER_PICK_BLOCK: "Choose a user."}
    if kind not in (ids.INVITE_KIND_MOBILE, ids.INVITE_KIND_WEB):
        return {ids.INVITE_KIND_BLOCK: "Choose a device."}
    if sms and kind == ids.INVITE_KIND_WEB:
        return {ids.INVITE_SMS_BLOCK: "SMS verification applies to mobile invitations only."}
    return {}


def _checker(problems):
    def check(ack, view):
        """Keep the modal open with a message next to the field when an input is wrong."""
        found = problems(view)
        if found:
            ack(response_action="errors", errors=found)
        else:
            ack()

    return check


# Bolt runs lazy listeners even when the ack kept the modal open: they check again.
check_target = _checker(target_problems)
check_reinvite = _checker(reinvite_problems)


def _prepare(
    services: SlackServices, client: WebClient, body: dict, view: dict, context: dict
) -> tuple[str, str, str | None]:
    """Actor email, target email and target Slack id; sets where errors are reported."""
    data = metadata(view)
    if isinstance(data.get("channel"), str):
        context[REPLY_CHANNEL_KEY] = data["channel"]
    target_id = data.get("target_id") if isinstance(data.get("target_id"), str) else None
    actor = services.actor(client, body["user"]["id"])
    target = _picked_target(view) or services.target_email(client, UserRef(slack_user_id=target_id))
    context[TARGET_KEY] = target
    return actor, target, target_id


def _report(services, client, body, context, target, target_id, outcome) -> None:
    reply_privately(body, client, context, None, result(outcome))
    services.notify_target(
        client,
        target,
        outcome.target.slack_user_id or target_id,
        None if outcome.replayed else outcome.target_message,
    )


def reinvite(services: SlackServices):
    def send_invitation(body, view, client, context):
        if reinvite_problems(view):
            return
        actor, target, target_id = _prepare(services, client, body, view, context)
        kind, sms = _kind_and_sms(view)
        outcome = services.domain.resend_invitation(
            actor, target, kind=kind, require_sms=sms, idempotency_key=idempotency_key(body)
        )
        _report(services, client, body, context, target, target_id, outcome)

    return send_invitation


def set_role(services: SlackServices):
    def change_role(body, view, client, context):
        if target_problems(view):
            return
        actor, target, target_id = _prepare(services, client, body, view, context)
        chosen = _value(view, ids.ROLE_BLOCK, ids.ROLE_ACTION).get("selected_option") or {}
        role = parse_role(chosen.get("value") or "")
        outcome = services.domain.change_role(
            actor, target, role, idempotency_key=idempotency_key(body)
        )
        _report(services, client, body, context, target, target_id, outcome)

    return change_role


def delete(services: SlackServices):
    def delete_technician(body, view, client, context):
        if target_problems(view):
            return
        actor, target, target_id = _prepare(services, client, body, view, context)
        outcome = services.domain.delete_technician(
            actor, target, idempotency_key=idempotency_key(body)
        )
        _report(services, client, body, context, target, target_id, outcome)

    return delete_technician
