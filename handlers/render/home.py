"""The App Home tab, the FAQ search modal and /helpbot help."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from faq import Entry, KnowledgeBase, Match, Outcome
from handlers import ids
from handlers.domain import AuditEntry, Capabilities
from handlers.render.admin import audit_lines
from handlers.render.answers import ask_human_button, entry_blocks, topic_blocks
from handlers.render.kit import (
    VIEW_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    header,
    input_block,
    message,
    modal,
    section,
)
from handlers.render.text import channel_link, chunks, escape


class Spec(Protocol):
    name: str
    usage: str
    summary: str
    managers_only: bool


def home(
    knowledge_base: KnowledgeBase,
    capabilities: Capabilities | None,
    audit: Sequence[AuditEntry] = (),
    *,
    unknown_reason: str | None = None,
    support_channel: str | None = None,
) -> dict[str, Any]:
    """The Home tab: topics by category with a search button; for managers, more."""
    blocks: list[Block] = [
        header("helpbot"),
        section(
            "Ask me about user management in the SMB app: passwords, invitations and "
            "technicians. Send me a direct message, mention me, or search the topics below."
        ),
        actions(
            button("🔎 Search the FAQ", ids.HOME_SEARCH, "search", style="primary"),
            block_id="home_search",
        ),
    ]
    if capabilities is not None and capabilities.is_site_manager:
        blocks += [
            divider(),
            header(f"Site Manager · {capabilities.account}"),
            actions(
                button("Send a new invitation…", ids.ACTION_REINVITE, "home"),
                button("Change a role…", ids.ACTION_SET_ROLE, "home"),
                button("Delete a technician…", ids.ACTION_DELETE_TECHNICIAN, "home"),
                button("My Team", ids.HOME_TEAM, "home"),
                block_id="home_manager_actions",
            ),
            section("*Recent activity in your account*"),
        ]
        lines = audit_lines(audit)
        # As many blocks as the rows need: one block holds 3,000 characters, and rows are whole.
        blocks += (
            [context(piece) for piece in chunks("\n".join(lines))]
            if lines
            else [context("Nothing yet.")]
        )
    elif unknown_reason:
        blocks.append(context(escape(unknown_reason)))
        if support_channel and (link := channel_link(support_channel)):
            blocks.append(context(f"Support: {link}"))
    blocks += topic_blocks(knowledge_base, divided=True, budget=VIEW_BLOCKS - len(blocks))
    return {"type": "home", "blocks": blocks}


def search_modal() -> dict[str, Any]:
    element = {
        "type": "plain_text_input",
        "action_id": ids.SEARCH_ACTION,
        "placeholder": {"type": "plain_text", "text": "e.g. the invitation never arrived"},
        "max_length": 500,
    }
    return modal(
        ids.SEARCH_MODAL,
        "Search the FAQ",
        [input_block(ids.SEARCH_BLOCK, "Your question", element)],
        submit="Search",
    )


def search_results(match: Match, faq_url_of) -> dict[str, Any]:
    """The search modal's answer: the entry, the choices, or an honest 'not found'."""
    blocks: list[Block]
    if match.outcome is Outcome.ANSWER and match.entry is not None:
        blocks = entry_blocks(match.entry, faq_url_of(match.entry.id))
    elif match.outcome is Outcome.CLARIFY and match.choices:
        blocks = [section("Did you mean…")] + [
            section(
                escape(choice.entry.question),
                accessory=button("Show", ids.indexed(ids.SHOW_ENTRY, n), choice.entry.id),
            )
            for n, choice in enumerate(match.choices)
        ]
        blocks.append(
            actions(ask_human_button("None of these — ask a human", match.query, None, None))
        )
    else:
        blocks = [
            section("I found nothing about that. Try other words, or ask the support team."),
            actions(ask_human_button("Ask a human", match.query, None, None, style="primary")),
        ]
    return modal(ids.SEARCH_MODAL, "Search the FAQ", blocks, close="Close")


def entry_modal(entry: Entry, faq_url: str) -> dict[str, Any]:
    return modal(ids.SEARCH_MODAL, "helpbot", entry_blocks(entry, faq_url), close="Close")


def pick_answer_modal(
    candidates: Iterable[Entry], metadata: dict[str, Any], question: str
) -> dict[str, Any]:
    """Message shortcut: the top matches for a message, to post one in its thread."""
    from handlers.render.kit import option
    from handlers.render.text import echo, truncate

    options = [
        option(truncate(entry.question, 75), entry.id, description=entry.category)
        for entry in candidates
    ][:10]
    blocks: list[Block] = [
        section(f"*The message*\n>{echo(question, 500)}"),
        input_block(
            ids.PICK_BLOCK,
            "Answer to post in the thread",
            {
                "type": "radio_buttons",
                "action_id": ids.PICK_ACTION,
                "options": options,
                "initial_option": options[0],
            },
        ),
    ]
    return modal(
        ids.PICK_ANSWER_MODAL, "Answer with helpbot", blocks, submit="Post", metadata=metadata
    )


def help_message(specs: Iterable[Spec], *, note: str | None = None) -> dict[str, Any]:
    """/helpbot help, generated from the command registry."""
    lines = []
    for spec in specs:
        usage = f"{spec.name} {spec.usage}".strip()
        who = " _(Site Managers)_" if spec.managers_only else ""
        lines.append(f"• `{escape(usage)}`: {escape(spec.summary)}{who}")
    blocks: list[Block] = []
    if note:
        blocks.append(section(escape(note)))
    blocks += [
        section("*helpbot commands*\n" + "\n".join(lines)),
        context(
            "Or just ask in your own words: send me a direct message or mention me. "
            "Users can be named with @mention or by email."
        ),
    ]
    return message("helpbot commands\n" + "\n".join(lines), blocks)
