"""Buttons, menus and select options (block_actions and block_suggestion payloads)."""

from __future__ import annotations

import re

from slack_bolt import App

from handlers import ids
from handlers.actions import (
    admin_buttons,
    ask_human,
    clarify_pick,
    feedback,
    home_buttons,
    share_answer,
    show_entry,
    user_overflow,
    user_pick_options,
)
from handlers.kit import SlackServices, lazy


def just_ack(ack):
    ack()


def _indexed(action_id: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(action_id)}(:\d+)?$")


def register(app: App, services: SlackServices) -> None:
    def on(action_id, make_handler):
        app.action(action_id)(ack=just_ack, lazy=[lazy(services, make_handler(services))])

    on(ids.FEEDBACK_HELPFUL, feedback.handler)
    on(ids.FEEDBACK_NOT_HELPFUL, feedback.handler)
    on(_indexed(ids.CLARIFY_PICK), clarify_pick.handler)
    on(_indexed(ids.SHOW_ENTRY), show_entry.handler)
    on(ids.ASK_HUMAN, ask_human.handler)
    on(ids.SHARE_ANSWER, share_answer.handler)
    on(ids.ACTION_RESET_PASSWORD, admin_buttons.reset_password)
    on(ids.ACTION_REINVITE, admin_buttons.open_reinvite)
    on(ids.ACTION_SET_ROLE, admin_buttons.open_set_role)
    on(ids.ACTION_DELETE_TECHNICIAN, admin_buttons.open_delete)
    on(_indexed(ids.USER_OVERFLOW), user_overflow.handler)
    on(ids.HOME_SEARCH, home_buttons.open_search)
    on(ids.HOME_TEAM, home_buttons.show_team)
    app.options(ids.USER_PICK_ACTION)(user_pick_options.handler(services))
