"""Answer cards, "Did you mean…", fallback, small talk and topic lists."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.conversation import CLARIFY_TEXT, FALLBACK_TEXT, fallback_text, reply_to
from faq import ACTIONS, Entry, KnowledgeBase, Match, Outcome
from handlers import ids
from handlers.render.kit import (
    MESSAGE_BLOCKS,
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
from handlers.render.text import BUTTON_VALUE, echo, escape, link, mention, truncate

# How much of a question the support post quotes (a section holds 3,000 escaped characters).
SUPPORT_QUOTE = 1500

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
    names = [name for name in entry.actions if name in allowed and name in ACTION_BUTTONS]
    # Slack's guidance: at most one primary button in a message, the most likely next step.
    return [
        button(ACTIONS[name], ACTION_BUTTONS[name], entry.id, style="primary" if n == 0 else None)
        for n, name in enumerate(names)
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


def clarify(
    choices: Iterable[Entry], question: str, channel: str | None, message_ts: str | None
) -> dict[str, Any]:
    """'Did you mean…' with one button per candidate entry, and a way to a human."""
    choices = list(choices)
    buttons = [
        button(truncate(entry.question, 75), ids.indexed(ids.CLARIFY_PICK, n), entry.id)
        for n, entry in enumerate(choices)
    ]
    buttons.append(ask_human_button("None of these — ask a human", question, channel, message_ts))
    lines = "\n".join(f"• {escape(entry.question)}" for entry in choices)
    return message(
        f"{CLARIFY_TEXT}\n{lines}",
        [section(CLARIFY_TEXT), actions(*buttons, block_id="clarify")],
    )


def _compact(payload: dict[str, Any]) -> str:
    # Not ASCII-only: a \uXXXX escape would make a non-Latin question six times as long.
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def ask_human_value(question: str, channel: str | None, message_ts: str | None) -> str:
    """What the 'Ask a human' button carries: where the question was asked, and the question.

    A question too long for a button value is shortened by characters before encoding (never
    inside an escape) and flagged `cut`, so the support post says so and links the conversation.
    """
    where = {"c": channel or "", "ts": message_ts or ""}
    value = _compact({**where, "q": question})
    if len(value) <= BUTTON_VALUE:
        return value
    text = question[: BUTTON_VALUE - len(_compact({**where, "q": "", "cut": 1}))]
    while len(value := _compact({**where, "q": text, "cut": 1})) > BUTTON_VALUE:
        text = text[: len(text) - (len(value) - BUTTON_VALUE)]  # escapes took the rest
    return value


def ask_human_button(
    label: str, question: str, channel: str | None, message_ts: str | None, **style: Any
) -> dict[str, Any]:
    """The button that posts this question to the support channel (handlers.actions.ask_human)."""
    return button(label, ids.ASK_HUMAN, ask_human_value(question, channel, message_ts), **style)


def fallback(
    question: str, channel: str | None, message_ts: str | None, pointer: str | None = None
) -> dict[str, Any]:
    """The honest 'I don't know', where to go instead if the KB says, and 'Ask a human'."""
    return message(
        fallback_text(escape(pointer) if pointer else None),
        [
            section(FALLBACK_TEXT),
            *(sections(f"👉 {escape(pointer)}") if pointer else []),
            actions(
                ask_human_button("Ask a human", question, channel, message_ts, style="primary"),
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
        return clarify((choice.entry for choice in match.choices), match.query, channel, message_ts)
    if match.outcome is Outcome.SMALLTALK:
        return smalltalk(match)
    return fallback(match.query, channel, message_ts, match.pointer)


def topics(knowledge_base: KnowledgeBase, *, intro: str | None = None) -> dict[str, Any]:
    """Every topic by category, each with a button to show it (or its /faq id if too many)."""
    blocks: list[Block] = []
    if intro:
        blocks.append(section(intro))
    blocks += topic_blocks(knowledge_base, budget=MESSAGE_BLOCKS - len(blocks))
    return message("Topics I can help with", blocks)


def topic_blocks(
    knowledge_base: KnowledgeBase, *, divided: bool = False, budget: int = MESSAGE_BLOCKS
) -> list[Block]:
    """A header per category and each topic with a Show button (divider before each, if asked).

    When that would take more than `budget` blocks, each category lists its questions with
    the `/faq <id>` that shows one instead: no topic is ever left out.
    """
    categories = knowledge_base.categories()
    per_category = 2 if divided else 1
    if sum(per_category + len(entries) for entries in categories.values()) > budget:
        return _topic_list(categories, divided, budget)
    blocks: list[Block] = []
    number = 0
    for category, entries in categories.items():
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


def _topic_list(categories: dict[str, list[Entry]], divided: bool, budget: int) -> list[Block]:
    def lines(entries: list[Entry]) -> str:
        return "\n".join(f"• {escape(e.question)} · `/faq {escape(e.id)}`" for e in entries)

    blocks: list[Block] = []
    for category, entries in categories.items():
        blocks += [divider(), header(category)] if divided else [header(category)]
        blocks += sections(lines(entries))
    if len(blocks) > budget:  # very many categories: one list, without headers
        blocks = sections(lines([e for entries in categories.values() for e in entries]))
    return blocks


def support_post(
    question: str, asker_id: str, permalink: str | None, where: str | None, *, cut: bool = False
) -> dict[str, Any]:
    """What 'Ask a human' posts in the support channel (`cut`: only the question's beginning)."""
    lines = [f"🙋 {mention(asker_id)} asked a question helpbot could not answer:", ""]
    quoted = echo(question, SUPPORT_QUOTE)
    body = "\n".join(f">{line}" for line in quoted.splitlines() or [""])
    extra = []
    if cut or len(question) > SUPPORT_QUOTE:
        extra.append("✂️ The question was cut: it was too long to carry here.")
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
