"""Buttons, menus and select options (block_actions and block_suggestion payloads)."""

from __future__ import annotations

import re

from slack_bolt import App

from handlers import ids
from handlers.actions import (
    ask_human,
    clarify_pick,
    feedback,
    home_search,
    home_team,
    open_admin_modal,
    reset_password,
    share_answer,
    show_entry,
    team_page,
    user_pick_options,
)
from handlers.kit import SlackServices, just_ack, lazy


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
    on(ids.ACTION_RESET_PASSWORD, reset_password.handler)
    on(ids.ACTION_REINVITE, open_admin_modal.handler)
    on(ids.ACTION_SET_ROLE, open_admin_modal.handler)
    on(ids.ACTION_DELETE_TECHNICIAN, open_admin_modal.handler)
    on(_indexed(ids.USER_OVERFLOW), open_admin_modal.handler)
    on(ids.HOME_SEARCH, home_search.handler)
    on(ids.HOME_TEAM, home_team.handler)
    on(_indexed(ids.TEAM_PAGE), team_page.handler)
    app.options(ids.USER_PICK_ACTION)(user_pick_options.handler(services))
