"""Every Slack identifier the app uses: commands, action_ids, callback_ids, block_ids.

manifest.yml must declare the same commands and shortcut (a test checks it).
"""

from __future__ import annotations

# Slash commands.
FAQ = "/faq"
REINVITE = "/reinvite"
SET_ROLE = "/set-role"
SET_PRIMARY_CONTACT = "/set-primary-contact"
DELETE_TECHNICIAN = "/delete-technician"
TEAM = "/team"
RESET_PASSWORD = "/reset-password"  # noqa: S105 (a command name)
HELPBOT = "/helpbot"

# Shortcuts (callback_id).
ANSWER_WITH_HELPBOT = "answer_with_helpbot"

# Modals (callback_id).
REINVITE_MODAL = "reinvite_modal"
DELETE_CONFIRM_MODAL = "delete_confirm_modal"
SET_ROLE_MODAL = "set_role_modal"
SEARCH_MODAL = "faq_search_modal"
PICK_ANSWER_MODAL = "pick_answer_modal"

# Buttons and menus (action_id).
FEEDBACK_HELPFUL = "feedback_helpful"
FEEDBACK_NOT_HELPFUL = "feedback_not_helpful"
CLARIFY_PICK = "clarify_pick"  # one per choice: "clarify_pick:<n>" (action_ids must be unique)
ASK_HUMAN = "ask_human"
SHARE_ANSWER = "share_answer"
SHOW_ENTRY = "show_entry"  # one per topic: "show_entry:<n>"
ACTION_RESET_PASSWORD = "action_reset_password"  # noqa: S105 (an action_id)
ACTION_REINVITE = "action_reinvite"
ACTION_SET_ROLE = "action_set_role"
ACTION_DELETE_TECHNICIAN = "action_delete_technician"
USER_OVERFLOW = "user_overflow"  # one per user card: "user_overflow:<n>"
HOME_SEARCH = "home_search"
HOME_TEAM = "home_team"
TEAM_PAGE = "team_page"  # "team_page:0" previous, "team_page:1" next; value {"q", "o"}

# Values of the /team overflow menu: "<verb>:<email>".
OVERFLOW_INVITE = "invite"
OVERFLOW_SET_ROLE = "set_role"
OVERFLOW_DELETE = "delete"
OVERFLOW_RESET_PASSWORD = "reset_password"  # noqa: S105 (a menu value)

# Inputs inside modals (block_id / action_id pairs).
INVITE_KIND_BLOCK = "invite_kind"
INVITE_KIND_ACTION = "invite_kind_choice"
INVITE_SMS_BLOCK = "invite_sms"
INVITE_SMS_ACTION = "invite_sms_choice"
ROLE_BLOCK = "role"
ROLE_ACTION = "role_choice"
SEARCH_BLOCK = "search"
SEARCH_ACTION = "search_text"
PICK_BLOCK = "pick"
PICK_ACTION = "pick_entry"

INVITE_KIND_MOBILE = "mobile"
INVITE_KIND_WEB = "web"
INVITE_SMS_VALUE = "require_sms"


def indexed(action_id: str, number: int) -> str:
    """A unique action_id for the n-th of several similar buttons in one message."""
    return f"{action_id}:{number}"


USER_PICK_BLOCK = "user_pick"
USER_PICK_ACTION = "user_pick_choice"  # external_select: options come from the directory
