"""The overflow menu on a /team user card: Invite, Change role, Delete."""

from __future__ import annotations

from handlers import ids
from handlers.kit import SlackServices
from handlers.render.admin import delete_modal, reinvite_modal, set_role_modal
from handlers.render.text import escape

MODALS = {
    ids.OVERFLOW_INVITE: reinvite_modal,
    ids.OVERFLOW_SET_ROLE: set_role_modal,
    ids.OVERFLOW_DELETE: delete_modal,
}


def handler(services: SlackServices):
    def open_from_menu(action, body, client):
        verb, _, email = ((action.get("selected_option") or {}).get("value") or "").partition(":")
        if verb not in MODALS or "@" not in email:
            return
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id"
        )
        metadata = {"target": email, "target_id": None, "channel": channel}
        client.views_open(trigger_id=body["trigger_id"], view=MODALS[verb](escape(email), metadata))

    return open_from_menu
