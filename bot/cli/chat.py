"""`helpbot chat`: a terminal conversation through the same pipeline as the Slack app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bot import commands
from bot.cli.admin import action_hints, format_help, run_command
from bot.cli.common import check_actor, email_argument, load_services, to_terminal
from bot.cli.faq_commands import format_entry, format_reply_text
from bot.domain import DomainError
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
        if commands.is_command(text):
            return self._command(text)
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
        if match.outcome is Outcome.ANSWER and match.entry is not None:
            reply += self._hints(match.entry)
        if match.outcome is Outcome.CLARIFY:
            reply += "\n" + to_terminal("Reply with a number, or ask in other words.")
        elif match.outcome is Outcome.FALLBACK:
            reply += "\n" + to_terminal(
                "In Slack, the *Ask a human* button passes your question to support."
            )
        return reply

    def _show(self, entry: Entry) -> str:
        return format_entry(entry, self.services.settings) + self._hints(entry)

    def _command(self, text: str) -> str:
        """Run a slash command as the --as user; refusals are shown, not raised."""
        try:
            if self.as_email is None:
                if isinstance(commands.parse_command(text), commands.Help):
                    return format_help()
                return (
                    "Commands act for a person in the team directory: start the chat with "
                    "--as EMAIL (e.g. helpbot chat --as you@example.com)."
                )
            return run_command(self.services, self.as_email, text)
        except commands.CommandSyntaxError as exc:
            return to_terminal(str(exc))
        except DomainError as exc:
            return to_terminal(exc.user_message)

    def _hints(self, entry: Entry) -> str:
        """The commands that do what the answer describes, if this person may use them."""
        if self.as_email is None or not entry.actions:
            return ""
        capabilities = self.services.domain.capabilities(self.as_email)
        hints = action_hints(entry.actions, capabilities, self.as_email)
        return "\n" + hints if hints else ""


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
    services = load_services(args)
    if args.as_email:
        check_actor(services, args.as_email)
    return chat_loop(ChatSession(services, args.as_email))


def chat_loop(
    session: ChatSession,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    *,
    intro: Sequence[str] = (),
) -> int:
    """The read-reply loop; `read` raises EOFError at the end of input."""
    write(BANNER)
    for line in intro:
        write(line)
    if session.as_email:
        write(f"(chatting as {session.as_email}; type /help for the admin commands)")
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
