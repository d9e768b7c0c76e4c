"""Buttons that open an admin form: 'Send a new invitation…', 'Change role to Install
Technician…', 'Delete a technician…' (on answers, on App Home, on the primary-contact refusal)
and the /team overflow menu (Invite, Change role, Delete; Reset password acts at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers import ids
from handlers.actions.reset_password import send_reset_link
from handlers.domain import DELETE_TECHNICIAN, REINVITE, SET_ROLE
from handlers.kit import SlackServices
from handlers.render.admin import delete_modal, reinvite_modal, set_role_modal, target_label

# The domain action each form leads to (asked first: refused forms don't open).
ACTIONS = {
    ids.ACTION_REINVITE: REINVITE,
    ids.ACTION_SET_ROLE: SET_ROLE,
    ids.ACTION_DELETE_TECHNICIAN: DELETE_TECHNICIAN,
    ids.OVERFLOW_INVITE: REINVITE,
    ids.OVERFLOW_SET_ROLE: SET_ROLE,
    ids.OVERFLOW_DELETE: DELETE_TECHNICIAN,
}
MODALS: dict[str, Callable[..., dict[str, Any]]] = {
    ids.ACTION_REINVITE: reinvite_modal,
    ids.ACTION_SET_ROLE: set_role_modal,
    ids.ACTION_DELETE_TECHNICIAN: delete_modal,
    ids.OVERFLOW_INVITE: reinvite_modal,
    ids.OVERFLOW_SET_ROLE: set_role_modal,
    ids.OVERFLOW_DELETE: delete_modal,
}


def chosen(action: dict[str, Any]) -> tuple[str | None, str | None]:
    """(which form, whose email) from a button ('email:<address>' or not), or (which form,
    whose `UserCard.ref`) from a menu choice."""
    if action.get("type") == "overflow" or "selected_option" in action:
        verb, _, email = ((action.get("selected_option") or {}).get("value") or "").partition(":")
        known = verb in MODALS or verb == ids.OVERFLOW_RESET_PASSWORD
        return (verb, email) if known and email else (None, None)
    value = action.get("value") or ""
    email = value[len("email:") :] if value.startswith("email:") else None
    action_id = action.get("action_id")
    return (action_id if action_id in MODALS else None), email


def handler(services: SlackServices):
    def open_form(action, body, client, context, respond):
        form, email = chosen(action)
        if form is None:
            return
        if email and action.get("type") == "overflow":
            email = services.email_of_choice(services.actor(client, body["user"]["id"]), email)
        if form == ids.OVERFLOW_RESET_PASSWORD:  # no form: the link is emailed at once
            send_reset_link(services, body, client, context, respond, email)
            return
        services.check_form(client, context, body["user"]["id"], ACTIONS[form], email)
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id"
        )
        metadata = {"target": email, "target_id": None, "channel": channel}
        view = MODALS[form](target_label(email, None), metadata)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return open_form
