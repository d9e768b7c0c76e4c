"""Modal submissions: Invitation, Change role, Delete confirmation, FAQ search, pick an answer."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.kit import SlackServices, lazy
from handlers.views import admin_modals, pick_answer, search


def register(app: App, services: SlackServices) -> None:
    app.view(ids.REINVITE_MODAL)(
        ack=admin_modals.check_reinvite, lazy=[lazy(services, admin_modals.reinvite(services))]
    )
    app.view(ids.SET_ROLE_MODAL)(
        ack=admin_modals.check_target, lazy=[lazy(services, admin_modals.set_role(services))]
    )
    app.view(ids.DELETE_CONFIRM_MODAL)(
        ack=admin_modals.check_target, lazy=[lazy(services, admin_modals.delete(services))]
    )
    app.view(ids.SEARCH_MODAL)(search.handler(services))
    app.view(ids.PICK_ANSWER_MODAL)(
        ack=pick_answer.check, lazy=[lazy(services, pick_answer.handler(services))]
    )
