"""`helpbot chat`: a terminal conversation through the same pipeline as the Slack app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.cli.common import email_argument, load_services, to_terminal
from bot.cli.faq_commands import format_reply_text
from bot.services import Services
from faq import Entry, Outcome

BANNER = (
    "helpbot: ask me about passwords, invitations and technicians in the SMB app.\n"
    "Answer a 'Did you mean' with its number. Type 'help' for help, 'quit' to leave."
)
QUIT_WORDS = frozenset({"quit", "exit", "bye!", ":q", "/quit", "/exit"})


class ChatSession:
    """One terminal conversation: remembers the last 'Did you mean' choices."""

    def __init__(self, services: Services, as_email: str | None = None) -> None:
        self.services = services
        self.as_email = as_email
        self._choices: tuple[Entry, ...] = ()

    def handle(self, line: str) -> str:
        """The bot's reply to one line typed by the person."""
        text = line.strip()
        if not text:
            return ""
        if self._choices and text.isdigit():
            number = int(text)
            if 1 <= number <= len(self._choices):
                entry = self._choices[number - 1]
                self._choices = ()
                return self._show(entry)
            return f"Pick a number from 1 to {len(self._choices)}, or ask something else."
        match = self.services.faq.matcher.match(text)
        self._choices = (
            tuple(c.entry for c in match.choices) if match.outcome is Outcome.CLARIFY else ()
        )
        reply = format_reply_text(match, self.services.settings)
        if match.outcome is Outcome.CLARIFY:
            reply += "\n" + to_terminal("Reply with a number, or ask in other words.")
        elif match.outcome is Outcome.FALLBACK:
            reply += "\n" + to_terminal(
                "In Slack, the *Ask a human* button passes your question to support."
            )
        return reply

    def _show(self, entry: Entry) -> str:
        settings = self.services.settings
        return "\n".join(
            [
                to_terminal(f"*{entry.question}*"),
                to_terminal(entry.answer),
                f"More: {settings.faq_url(entry.id)}",
            ]
        )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `chat` to the command line."""
    chat = subparsers.add_parser("chat", help="talk to helpbot in the terminal, no Slack needed")
    chat.add_argument(
        "--as",
        dest="as_email",
        type=email_argument,
        metavar="EMAIL",
        help="chat as this directory user (enables the admin commands)",
    )
    chat.set_defaults(handler=run_chat)


def run_chat(args: argparse.Namespace) -> int:
    """Read lines until end of input or 'quit'."""
    return chat_loop(ChatSession(load_services(), args.as_email))


def chat_loop(
    session: ChatSession, read: Callable[[str], str] = input, write: Callable[[str], None] = print
) -> int:
    """The read-reply loop; `read` raises EOFError at the end of input."""
    write(BANNER)
    if session.as_email:
        write(f"(chatting as {session.as_email})")
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = read("you> " if interactive else "")
        except EOFError:
            if interactive:
                write("")
            return 0
        if line.strip().lower() in QUIT_WORDS:
            return 0
        answer = session.handle(line)
        if answer:
            write(answer)
            write("")
