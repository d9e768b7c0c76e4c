"""Answer cards, "Did you mean…", fallback, small talk and topic lists."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.conversation import CLARIFY_TEXT, FALLBACK_TEXT, reply_to
from faq import ACTIONS, Entry, KnowledgeBase, Match, Outcome
from handlers import ids
from handlers.render.kit import (
    Block,
    actions,
    button,
    context,
    divider,
    header,
    message,
    section,
    sections,
)
from handlers.render.text import echo, escape, link, mention, truncate

# Which button each FAQ action becomes.
ACTION_BUTTONS = {
    "reset_password": ids.ACTION_RESET_PASSWORD,
    "reinvite": ids.ACTION_REINVITE,
    "set_role": ids.ACTION_SET_ROLE,
    "delete_technician": ids.ACTION_DELETE_TECHNICIAN,
}


def entry_blocks(entry: Entry, faq_url: str) -> list[Block]:
    """Title, answer and a link to the entry's page: the part every card shares."""
    return [
        section(f"*{escape(entry.question)}*"),
        *sections(escape(entry.answer)),
        context(f"📖 {link(faq_url, 'Open this answer as a page')} · id `{escape(entry.id)}`"),
    ]


def action_buttons(entry: Entry, allowed: Iterable[str]) -> list[dict[str, Any]]:
    """The entry's action buttons open to this person (the domain checks again on click)."""
    allowed = set(allowed)
    return [
        button(ACTIONS[name], ACTION_BUTTONS[name], entry.id, style="primary")
        for name in entry.actions
        if name in allowed and name in ACTION_BUTTONS
    ]


def feedback_block(entry: Entry) -> list[Block]:
    return [
        context("Was this helpful?"),
        actions(
            button("👍 Yes", ids.FEEDBACK_HELPFUL, entry.id),
            button("👎 No", ids.FEEDBACK_NOT_HELPFUL, entry.id),
            block_id=f"feedback:{entry.id}",
        ),
    ]


def answer_card(
    entry: Entry,
    faq_url: str,
    *,
    allowed_actions: Iterable[str] = (),
    feedback: bool = True,
    share: bool = False,
) -> dict[str, Any]:
    """The answer to a question: a message payload (text + blocks)."""
    blocks = entry_blocks(entry, faq_url)
    buttons = action_buttons(entry, allowed_actions)
    if share:
        buttons.append(button("Share in channel", ids.SHARE_ANSWER, entry.id))
    if buttons:
        blocks.append(actions(*buttons, block_id=f"entry_actions:{entry.id}"))
    if feedback:
        blocks += feedback_block(entry)
    return message(f"{entry.question}\n{entry.answer}", blocks)


def clarify(choices: Iterable[Entry], *, action_id: str = ids.CLARIFY_PICK) -> dict[str, Any]:
    """'Did you mean…' with one button per candidate entry."""
    choices = list(choices)
    buttons = [
        button(truncate(entry.question, 75), ids.indexed(action_id, n), entry.id)
        for n, entry in enumerate(choices)
    ]
    lines = "\n".join(f"• {escape(entry.question)}" for entry in choices)
    return message(
        f"{CLARIFY_TEXT}\n{lines}",
        [section(CLARIFY_TEXT), actions(*buttons, block_id="clarify")],
    )


def ask_human_value(question: str, channel: str | None, message_ts: str | None) -> str:
    """What the 'Ask a human' button carries: where the question was asked, and the question."""
    payload = {"c": channel or "", "ts": message_ts or "", "q": question[:1500]}
    return json.dumps(payload, separators=(",", ":"))


def fallback(question: str, channel: str | None, message_ts: str | None) -> dict[str, Any]:
    """The honest 'I don't know', with an 'Ask a human' button."""
    return message(
        FALLBACK_TEXT,
        [
            section(FALLBACK_TEXT),
            actions(
                button(
                    "Ask a human",
                    ids.ASK_HUMAN,
                    ask_human_value(question, channel, message_ts),
                    style="primary",
                ),
                block_id="fallback",
            ),
        ],
    )


def smalltalk(match: Match) -> dict[str, Any]:
    text = reply_to(match).text
    return {"text": text}


def reply(
    match: Match,
    faq_url_of,
    *,
    allowed_actions: Iterable[str] = (),
    channel: str | None = None,
    message_ts: str | None = None,
    share: bool = False,
) -> dict[str, Any]:
    """The message for a matcher verdict."""
    if match.outcome is Outcome.ANSWER and match.entry is not None:
        return answer_card(
            match.entry, faq_url_of(match.entry.id), allowed_actions=allowed_actions, share=share
        )
    if match.outcome is Outcome.CLARIFY and match.choices:
        return clarify(choice.entry for choice in match.choices)
    if match.outcome is Outcome.SMALLTALK:
        return smalltalk(match)
    return fallback(match.query, channel, message_ts)


def topics(knowledge_base: KnowledgeBase, *, intro: str | None = None) -> dict[str, Any]:
    """Every topic by category, each with a button to show it."""
    blocks: list[Block] = []
    if intro:
        blocks.append(section(intro))
    blocks += topic_blocks(knowledge_base)
    return message("Topics I can help with", blocks)


def topic_blocks(knowledge_base: KnowledgeBase, *, divided: bool = False) -> list[Block]:
    """A header per category and each topic with a Show button (divider before each, if asked)."""
    blocks: list[Block] = []
    number = 0
    for category, entries in knowledge_base.categories().items():
        blocks += [divider(), header(category)] if divided else [header(category)]
        for entry in entries:
            blocks.append(
                section(
                    escape(entry.question),
                    accessory=button("Show", ids.indexed(ids.SHOW_ENTRY, number), entry.id),
                )
            )
            number += 1
    return blocks


def support_post(
    question: str, asker_id: str, permalink: str | None, where: str | None
) -> dict[str, Any]:
    """What 'Ask a human' posts in the support channel."""
    lines = [f"🙋 {mention(asker_id)} asked a question helpbot could not answer:", ""]
    quoted = echo(question, 1500)
    body = "\n".join(f">{line}" for line in quoted.splitlines() or [""])
    extra = []
    if permalink:
        extra.append(link(permalink, "View the conversation"))
    elif where:
        extra.append(f"Asked in {where}")
    blocks = [section("\n".join(lines) + body)]
    if extra:
        blocks.append(context(*extra))
    return message(f"Question from {mention(asker_id)}: {quoted}", blocks)


def unfurl(entry: Entry, faq_url: str) -> dict[str, Any]:
    """The blocks a FAQ link unfurls into."""
    return {"blocks": entry_blocks(entry, faq_url)}
