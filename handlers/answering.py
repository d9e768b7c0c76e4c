"""Answer a question where it was asked: match, pick the buttons this person may use, render."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from faq import Entry, Match, Outcome
from handlers.domain import DomainError
from handlers.kit import SlackServices
from handlers.render import answers

# Buttons that open a form acting on someone else: only Site Managers see them.
MANAGER_BUTTONS = frozenset({"reinvite", "set_role", "delete_technician"})


def allowed_actions(
    services: SlackServices, client: WebClient, user_id: str | None, entry: Entry | None
) -> frozenset[str]:
    """The entry's actions this person may use; none for unknown people or plain entries."""
    if entry is None or not entry.actions or not user_id:
        return frozenset()
    try:
        capabilities = services.domain.capabilities(services.actor(client, user_id))
    except DomainError:
        return frozenset()
    allowed = set(capabilities.actions) & set(entry.actions)
    if not capabilities.is_site_manager:
        allowed -= MANAGER_BUTTONS  # these buttons act on other users
    return frozenset(allowed)


def render(
    services: SlackServices,
    client: WebClient,
    match: Match,
    *,
    user_id: str | None,
    channel: str | None,
    message_ts: str | None,
    share: bool = False,
) -> dict[str, Any]:
    """The reply to a matcher verdict for this person."""
    entry = match.entry if match.outcome is Outcome.ANSWER else None
    return answers.reply(
        match,
        services.faq_url,
        allowed_actions=allowed_actions(services, client, user_id, entry),
        channel=channel,
        message_ts=message_ts,
        share=share,
    )


def card(
    services: SlackServices,
    client: WebClient,
    entry: Entry,
    *,
    user_id: str | None,
    share: bool = False,
) -> dict[str, Any]:
    """One entry's answer card for this person."""
    return answers.answer_card(
        entry,
        services.faq_url(entry.id),
        allowed_actions=allowed_actions(services, client, user_id, entry),
        share=share,
    )


def answer_in_conversation(
    services: SlackServices,
    client: WebClient,
    *,
    text: str,
    user_id: str,
    channel: str,
    message_ts: str,
    thread_ts: str | None,
    confident_only: bool = False,
) -> bool:
    """Reply to a message; with confident_only, only when the outcome is an answer."""
    match = services.faq.matcher.match(text)
    if confident_only and match.outcome is not Outcome.ANSWER:
        return False
    payload = render(
        services, client, match, user_id=user_id, channel=channel, message_ts=message_ts
    )
    client.chat_postMessage(channel=channel, thread_ts=thread_ts, **payload)
    return True
