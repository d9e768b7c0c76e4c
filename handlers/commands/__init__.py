"""Slash commands. Each module holds one command: its SPEC (the one source of truth for
/helpbot help and manifest.yml) and its listener."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import App

from handlers.kit import SlackServices


@dataclass(frozen=True)
class CommandSpec:
    """A slash command as Slack and /helpbot help describe it."""

    name: str
    usage: str  # manifest usage_hint
    summary: str  # manifest description and /helpbot help line
    managers_only: bool = False


def _modules():
    from handlers.commands import (
        delete_technician,
        faq,
        helpbot,
        reinvite,
        reset_password,
        set_primary_contact,
        set_role,
        team,
    )

    return (
        faq,
        reset_password,
        reinvite,
        set_role,
        set_primary_contact,
        delete_technician,
        team,
        helpbot,
    )


def specs() -> tuple[CommandSpec, ...]:
    """Every command, in help order."""
    return tuple(module.SPEC for module in _modules())


def register(app: App, services: SlackServices) -> None:
    for module in _modules():
        module.register(app, services)
