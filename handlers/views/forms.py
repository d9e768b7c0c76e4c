"""What the admin forms share: reading their inputs, checking them, acting for whom, reporting."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from handlers import ids
from handlers.kit import (
    REPLY_CHANNEL_KEY,
    TARGET_KEY,
    SlackServices,
    confirm_done,
    metadata,
)
from handlers.parsing import UserRef


def value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}


def picked_target(view: dict[str, Any]) -> str | None:
    known = metadata(view).get("target")
    if isinstance(known, str) and known:
        return known
    picked = value(view, ids.USER_PICK_BLOCK, ids.USER_PICK_ACTION).get("selected_option")
    return (picked or {}).get("value")


def has_target(view: dict[str, Any]) -> bool:
    data = metadata(view)
    return bool(data.get("target") or data.get("target_id") or picked_target(view))


def kind_and_sms(view: dict[str, Any]) -> tuple[str, bool]:
    kind = (
        value(view, ids.INVITE_KIND_BLOCK, ids.INVITE_KIND_ACTION).get("selected_option") or {}
    ).get("value") or ids.INVITE_KIND_MOBILE
    boxes = value(view, ids.INVITE_SMS_BLOCK, ids.INVITE_SMS_ACTION).get("selected_options")
    sms = any(box.get("value") == ids.INVITE_SMS_VALUE for box in boxes or [])
    return kind, sms


def target_problems(view: dict[str, Any]) -> dict[str, str]:
    """Input errors of the Change role and Delete modals, by block_id (empty when fine)."""
    return {} if has_target(view) else {ids.USER_PICK_BLOCK: "Choose a user."}


def reinvite_problems(view: dict[str, Any]) -> dict[str, str]:
    """Input errors of the Invitation modal, by block_id (empty when fine)."""
    kind, sms = kind_and_sms(view)
    if not has_target(view):
        return {ids.USER_PICK_BLOCK: "Choose a user."}
    if kind not in (ids.INVITE_KIND_MOBILE, ids.INVITE_KIND_WEB):
        return {ids.INVITE_KIND_BLOCK: "Choose a device."}
    if sms and kind == ids.INVITE_KIND_WEB:
        return {ids.INVITE_SMS_BLOCK: "SMS verification applies to mobile invitations only."}
    return {}


def checker(problems):
    def check(ack, view):
        """Keep the modal open with a message next to the field when an input is wrong."""
        found = problems(view)
        if found:
            ack(response_action="errors", errors=found)
        else:
            ack()

    return check


# Bolt runs lazy listeners even when the ack kept the modal open: they check again.
check_target = checker(target_problems)


def prepare(
    services: SlackServices, client: WebClient, body: dict, view: dict, context: dict
) -> tuple[str, str, str | None]:
    """Actor email, target email and target Slack id; sets where errors are reported."""
    data = metadata(view)
    if isinstance(data.get("channel"), str):
        context[REPLY_CHANNEL_KEY] = data["channel"]
    target_id = data.get("target_id") if isinstance(data.get("target_id"), str) else None
    actor = services.actor(client, body["user"]["id"])
    known = metadata(view).get("target")
    picked = picked_target(view)
    if picked and picked != known:  # chosen in the user picker: a UserCard.ref
        target = services.email_of_choice(actor, picked)
    else:
        target = picked or services.target_email(client, UserRef(slack_user_id=target_id))
    context[TARGET_KEY] = target
    return actor, target, target_id


def report(services, client, body, context, target_id, outcome) -> None:
    """Confirm to whoever submitted the form; tell the user concerned by DM."""
    confirm_done(services, body, client, context, None, outcome, target_id)
