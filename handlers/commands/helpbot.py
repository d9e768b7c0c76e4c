"""/helpbot help: the list of commands, generated from the command registry."""

from __future__ import annotations

from slack_bolt import App

from handlers import ids
from handlers.commands import CommandSpec, specs
from handlers.kit import SlackServices
from handlers.render.home import help_message
from handlers.render.text import truncate, unescape

SPEC = CommandSpec(ids.HELPBOT, "help", "Show this list of commands.")


def register(app: App, services: SlackServices) -> None:
    @app.command(SPEC.name)
    def show_help(ack, command):
        text = unescape(command.get("text") or "").strip()
        note = None
        if text and text.lower() not in ("help", "?", "-h", "--help"):
            note = f"I don't know '{truncate(text, 40)}'. Here is what I can do:"
        ack(**help_message(specs(), note=note), response_type="ephemeral")
