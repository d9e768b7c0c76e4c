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
from handlers.parsing import FormInvalid, UserRef


def _mapping(item: Any) -> dict[str, Any]:
    return item if isinstance(item, dict) else {}


def value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    """One input's state (empty when absent; whatever its shape, never an exception)."""
    values = _mapping(_mapping(view.get("state")).get("values"))
    return _mapping(_mapping(values.get(block)).get(action))


def selected_value(view: dict[str, Any], block: str, action: str) -> str | None:
    """The value of a select's or radio buttons' chosen option; FormInvalid if malformed."""
    option = value(view, block, action).get("selected_option")
    if option is None:
        return None
    chosen = option.get("value") if isinstance(option, dict) else None
    if not isinstance(chosen, str):
        raise FormInvalid
    return chosen


def _text_or_none(data: dict[str, Any], key: str) -> str | None:
    item = data.get(key)
    if item is not None and not isinstance(item, str):
        raise FormInvalid
    return item or None


def picked_target(view: dict[str, Any]) -> str | None:
    known = _text_or_none(metadata(view), "target")
    return known or selected_value(view, ids.USER_PICK_BLOCK, ids.USER_PICK_ACTION)


def has_target(view: dict[str, Any]) -> bool:
    data = metadata(view)
    return bool(_text_or_none(data, "target_id") or picked_target(view))


def kind_and_sms(view: dict[str, Any]) -> tuple[str, bool]:
    kind = selected_value(view, ids.INVITE_KIND_BLOCK, ids.INVITE_KIND_ACTION)
    boxes = value(view, ids.INVITE_SMS_BLOCK, ids.INVITE_SMS_ACTION).get("selected_options")
    if boxes is None:
        boxes = []
    if not isinstance(boxes, list) or not all(isinstance(box, dict) for box in boxes):
        raise FormInvalid
    sms = any(box.get("value") == ids.INVITE_SMS_VALUE for box in boxes)
    return kind or ids.INVITE_KIND_MOBILE, sms


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
        try:
            found = problems(view)
        except FormInvalid:
            found = {}  # not an input mistake: the lazy listener refuses the whole form
        if found:
            ack(response_action="errors", errors=found)
        else:
            ack()

    return check


# Bolt runs lazy listeners even when the ack kept the modal open: they check again.
check_target = checker(target_problems)


def reply_where_asked(view: dict[str, Any], context: dict) -> None:
    """Errors about this form go to the channel it was opened from (else a DM)."""
    channel = metadata(view).get("channel")
    if isinstance(channel, str):
        context[REPLY_CHANNEL_KEY] = channel


def prepare(
    services: SlackServices, client: WebClient, body: dict, view: dict, context: dict
) -> tuple[str, str, str | None]:
    """Actor email, target email and target Slack id; sets where errors are reported."""
    reply_where_asked(view, context)
    target_id = _text_or_none(metadata(view), "target_id")
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
