"""Modal submissions: Invitation, Change role, Delete confirmation, FAQ search, pick an answer."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.kit import SlackServices, lazy
from handlers.views import delete_technician, pick_answer, reinvite, search, set_role


def register(app: App, services: SlackServices) -> None:
    for callback_id, module in (
        (ids.REINVITE_MODAL, reinvite),
        (ids.SET_ROLE_MODAL, set_role),
        (ids.DELETE_CONFIRM_MODAL, delete_technician),
        (ids.PICK_ANSWER_MODAL, pick_answer),
    ):
        app.view(callback_id)(ack=module.check, lazy=[lazy(services, module.handler(services))])
    app.view(ids.SEARCH_MODAL)(search.handler(services))
