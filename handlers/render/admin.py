"""Admin surfaces: /team user cards, the Invitation / role / delete modals, results, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from handlers import ids
from handlers.domain import ROLE_LABELS, ROLES, ActionResult, AuditEntry, TeamPage, UserCard
from handlers.render.kit import (
    Block,
    actions,
    button,
    context,
    input_block,
    message,
    modal,
    option,
    section,
    text_length,
)
from handlers.render.text import channel_link, echo, escape, mention, truncate


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def user_summary(user: UserCard) -> str:
    """One user as mrkdwn: name, email, role, primary contact, status, invitation."""
    facts = [role_label(user.role)]
    if user.is_primary_contact:
        facts.append("Primary contact")
    if user.status and user.status != "active":
        facts.append(user.status.capitalize())
    lines = [
        f"*{escape(user.name)}* · {escape(user.email)}",
        " · ".join(escape(f) for f in facts),
    ]
    details = []
    if user.phone:
        details.append(f"📱 {escape(user.phone)}")
    if user.invitation:
        details.append(f"✉️ {escape(user.invitation)}")
    if details:
        lines.append("  ".join(details))
    return "\n".join(lines)


def user_overflow(user: UserCard, number: int = 0) -> dict[str, Any]:
    """The downward arrow of the app's user card: Invite, Change role, Delete, Reset password.

    Values name the user by `UserCard.ref`: an email may not fit in an option value (150).
    """
    return {
        "type": "overflow",
        "action_id": ids.indexed(ids.USER_OVERFLOW, number),
        "options": [
            option("Invite", f"{ids.OVERFLOW_INVITE}:{user.ref}"),
            option("Change role", f"{ids.OVERFLOW_SET_ROLE}:{user.ref}"),
            option("Delete", f"{ids.OVERFLOW_DELETE}:{user.ref}"),
            option("Reset password", f"{ids.OVERFLOW_RESET_PASSWORD}:{user.ref}"),
        ],
    }


# Users per /team page, and the characters their cards may take: a page of long names and
# emails gets fewer cards (the Next button starts where it stopped), never a cut one.
TEAM_PAGE_SIZE = 20
TEAM_TEXT_BUDGET = 7000  # the cards; the title and buttons add a few hundred


def team_page_value(query: str, offset: int) -> str:
    """What a Previous / Next button carries: the search and where its page starts."""
    return json.dumps({"q": query, "o": offset}, separators=(",", ":"))


def team(page: TeamPage, account: str) -> dict[str, Any]:
    """The Slack version of the app's My Team screen: one page, the true count, Previous/Next."""
    title = f"*My Team* · {escape(account)}"
    if page.query:
        title += f" · matching “{echo(page.query, 100)}”"
    if not page.users:
        nobody = "No users match that search." if page.query else "Your team has no users yet."
        return message(nobody, [section(title), section(nobody)])
    cards: list[Block] = []
    for number, user in enumerate(page.users):
        accessory = user_overflow(user, number) if user.status == "active" else None
        card = section(user_summary(user), accessory=accessory)
        if cards and text_length([*cards, card]) > TEAM_TEXT_BUDGET:
            break
        cards.append(card)
    shown = TeamPage(page.users[: len(cards)], page.total, page.offset, page.query)
    count = f"{shown.total} user{'' if shown.total == 1 else 's'}"
    everyone = shown.offset == 0 and not shown.remaining
    where = count if everyone else f"{count}, showing {shown.first}–{shown.last}"
    blocks: list[Block] = [section(f"{title}\n{where}"), *cards]
    buttons = []
    if shown.offset > 0:
        previous = max(0, shown.offset - TEAM_PAGE_SIZE)
        buttons.append(
            button(
                "‹ Previous", ids.indexed(ids.TEAM_PAGE, 0), team_page_value(page.query, previous)
            )
        )
    if shown.remaining:
        buttons.append(
            button("Next ›", ids.indexed(ids.TEAM_PAGE, 1), team_page_value(page.query, shown.last))
        )
    if buttons:
        blocks.append(actions(*buttons, block_id="team_pages"))
    if shown.remaining:
        blocks.append(
            context(f"{shown.remaining} more: press *Next ›*, or narrow the search: `/team name`.")
        )
    text = f"{count} in {escape(account)}" + (
        "" if everyone else f", showing {shown.first}–{shown.last}"
    )
    return message(text, blocks)


def result(outcome: ActionResult) -> dict[str, Any]:
    """A successful action, confirmed to whoever asked for it."""
    text = ("↩️ Already done: " if outcome.replayed else "✅ ") + escape(outcome.message)
    blocks = [section(text)]
    if outcome.warning:
        blocks.append(section(f"⚠️ {escape(outcome.warning)}"))
    plain = outcome.message + (f"\n{outcome.warning}" if outcome.warning else "")
    return message(escape(plain), blocks)


def refusal(user_message: str, *, support_channel: str | None = None) -> dict[str, Any]:
    """A domain refusal: the reason and what to do next (and where support is, if known)."""
    blocks = [section(f"🚫 {escape(user_message)}")]
    if support_channel and (link := channel_link(support_channel)):
        blocks.append(context(f"Support: {link}"))
    return message(escape(user_message), blocks)


def primary_contact_refusal(user_message: str, target_email: str | None) -> dict[str, Any]:
    """The primary-contact refusal, with the way out: change the role first."""
    blocks = [section(f"🚫 {escape(user_message)}")]
    if target_email:
        blocks.append(
            actions(
                button(
                    "Change role to Install Technician…",
                    ids.ACTION_SET_ROLE,
                    f"email:{target_email}",
                    style="primary",
                ),
                block_id="primary_contact_refusal",
            )
        )
    return message(escape(user_message), blocks)


def target_block(target_label: str | None) -> list[Block]:
    """Who the modal acts on: a known person, or a picker searching the directory."""
    if target_label:
        return [section(f"*User:* {target_label}")]
    return [
        input_block(
            ids.USER_PICK_BLOCK,
            "User",
            {
                "type": "external_select",
                "action_id": ids.USER_PICK_ACTION,
                "placeholder": {"type": "plain_text", "text": "Search your team by name or email"},
                "min_query_length": 0,
            },
        )
    ]


def reinvite_modal(target_label: str | None, metadata: dict[str, Any]) -> dict[str, Any]:
    """Mirrors the app's Invitation screen: device, SMS verification, SEND."""
    blocks = [
        *target_block(target_label),
        input_block(
            ids.INVITE_KIND_BLOCK,
            "Invitation",
            {
                "type": "radio_buttons",
                "action_id": ids.INVITE_KIND_ACTION,
                "initial_option": option("Use a mobile device", ids.INVITE_KIND_MOBILE),
                "options": [
                    option("Use a mobile device", ids.INVITE_KIND_MOBILE),
                    option("Use a web browser", ids.INVITE_KIND_WEB),
                ],
            },
            hint="The first invitation is always a mobile one. Most users need only the "
            "mobile app.",
        ),
        input_block(
            ids.INVITE_SMS_BLOCK,
            "Verification",
            {
                "type": "checkboxes",
                "action_id": ids.INVITE_SMS_ACTION,
                "options": [option("Require SMS verification", ids.INVITE_SMS_VALUE)],
            },
            optional=True,
            hint="Leave unchecked unless you need it (recommended).",
        ),
    ]
    return modal(ids.REINVITE_MODAL, "Invitation", blocks, submit="SEND", metadata=metadata)


def set_role_modal(
    target_label: str | None, metadata: dict[str, Any], initial_role: str = "install-technician"
) -> dict[str, Any]:
    role_options = [option(ROLE_LABELS[role], role) for role in ROLES]
    element = {
        "type": "static_select",
        "action_id": ids.ROLE_ACTION,
        "options": role_options,
        "initial_option": option(ROLE_LABELS[initial_role], initial_role),
    }
    blocks = [*target_block(target_label), input_block(ids.ROLE_BLOCK, "New role", element)]
    return modal(ids.SET_ROLE_MODAL, "Change role", blocks, submit="OK", metadata=metadata)


def delete_modal(target_label: str | None, metadata: dict[str, Any]) -> dict[str, Any]:
    """The confirmation dialog before deleting a technician."""
    question = (
        f"Delete {target_label}?" if target_label else "Which technician do you want to delete?"
    )
    blocks = [
        section(f"⚠️ {question}") if target_label else section(question),
        *([] if target_label else target_block(None)),
        context("Deleted users can no longer log in. Their history stays in the audit log."),
    ]
    return modal(
        ids.DELETE_CONFIRM_MODAL, "Delete technician", blocks, submit="Delete", metadata=metadata
    )


def audit_lines(entries: Iterable[AuditEntry]) -> list[str]:
    icons = {"ok": "✅", "denied": "🚫", "error": "⚠️"}
    lines = []
    for entry in entries:
        when = entry.at.strftime("%Y-%m-%d %H:%M")
        detail = f" — {escape(truncate(entry.detail, 80))}" if entry.detail else ""
        lines.append(
            f"{icons.get(entry.outcome, '•')} {when} {escape(entry.actor)} "
            f"*{escape(entry.action)}* {escape(entry.target or '')}{detail}"
        )
    return lines


def target_label(email: str | None, slack_user_id: str | None) -> str | None:
    """How a modal names its target: a mention when we have a Slack id, else the email."""
    if slack_user_id:
        return mention(slack_user_id)
    return escape(email) if email else None
