"""Settings read once from the environment and validated at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

import faq

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
MAX_SOCKET_CONNECTIONS = 10  # Slack's limit of simultaneous Socket Mode connections per app


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


def _split_list(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def log_level_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """HELPBOT_LOG_LEVEL, upper-cased, or None when unset; ConfigError when not a level."""
    env = os.environ if environ is None else environ
    raw = env.get("HELPBOT_LOG_LEVEL", "").strip()
    if not raw:
        return None
    if raw.upper() not in LOG_LEVELS:
        raise ConfigError(f"HELPBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return raw.upper()


def _seconds(name: str, raw: str, *, least: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not value >= least:  # also refuses nan
        raise ConfigError(f"{name} must be at least {least:g} seconds, got {raw}")
    return value


def _positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything helpbot reads from its environment; secrets never appear in repr()."""

    database_url: str = "sqlite:///helpbot.db"
    faq_path: Path = field(default_factory=faq.default_content_path)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    support_channel: str | None = None
    base_url: str = "http://localhost:3000"
    help_channels: frozenset[str] = frozenset()
    smtp_url: str | None = field(default=None, repr=False)
    mail_from: str = "helpbot@localhost"
    app_url: str = "http://localhost:8000"
    invitation_limit_per_hour: int = 5
    reset_limit_per_hour: int = 5
    port: int = 3000
    log_level: str = "INFO"
    socket_connections: int = 2
    socket_ping_timeout: float = 4.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (see the README's configuration table)."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        values: dict[str, object] = {}
        simple = {
            "DATABASE_URL": "database_url",
            "SLACK_BOT_TOKEN": "slack_bot_token",
            "SLACK_SIGNING_SECRET": "slack_signing_secret",
            "SLACK_APP_TOKEN": "slack_app_token",
            "SLACK_API_URL": "slack_api_url",
            "HELPBOT_SUPPORT_CHANNEL": "support_channel",
            "SMTP_URL": "smtp_url",
            "HELPBOT_MAIL_FROM": "mail_from",
        }
        for env_name, attr in simple.items():
            if (value := get(env_name)) is not None:
                values[attr] = value
        for env_name, attr in {
            "HELPBOT_BASE_URL": "base_url",
            "HELPBOT_APP_URL": "app_url",
        }.items():
            if (value := get(env_name)) is not None:
                if not value.startswith(("http://", "https://")):
                    raise ConfigError(
                        f"{env_name} must start with http:// or https://, got {value!r}"
                    )
                values[attr] = value.rstrip("/")
        if (value := get("SMTP_URL")) is not None:
            from bot.domain.mail import check_smtp_url  # the transport's own parsing

            try:
                check_smtp_url(value)
            except ValueError as problem:
                raise ConfigError(str(problem)) from None
        if (level := log_level_from_env(env)) is not None:
            values["log_level"] = level
        if (value := get("HELPBOT_FAQ_PATH")) is not None:
            values["faq_path"] = Path(value)
        if (value := get("HELPBOT_HELP_CHANNELS")) is not None:
            values["help_channels"] = _split_list(value)
        for env_name, attr in {
            "HELPBOT_INVITATION_LIMIT_PER_HOUR": "invitation_limit_per_hour",
            "HELPBOT_RESET_LIMIT_PER_HOUR": "reset_limit_per_hour",
            "PORT": "port",
        }.items():
            if (value := get(env_name)) is not None:
                values[attr] = _positive_int(env_name, value)
        if (value := get("HELPBOT_SOCKET_CONNECTIONS")) is not None:
            count = _positive_int("HELPBOT_SOCKET_CONNECTIONS", value)
            if count > MAX_SOCKET_CONNECTIONS:
                raise ConfigError(
                    f"HELPBOT_SOCKET_CONNECTIONS must be at most {MAX_SOCKET_CONNECTIONS} "
                    f"(Slack's limit per app), got {count}"
                )
            values["socket_connections"] = count
        if (value := get("HELPBOT_SOCKET_PING_TIMEOUT")) is not None:
            values["socket_ping_timeout"] = _seconds("HELPBOT_SOCKET_PING_TIMEOUT", value, least=1)
        if "slack_api_url" in values and not str(values["slack_api_url"]).endswith("/"):
            values["slack_api_url"] = f"{values['slack_api_url']}/"
        return cls(**values)  # type: ignore[arg-type]

    def require(self, *attributes: str) -> None:
        """Raise ConfigError naming the first of these settings that is not set."""
        for attribute in attributes:
            if not getattr(self, attribute):
                reason = REQUIRED_BECAUSE.get(attribute, "this command needs it")
                raise ConfigError(f"{ENV_NAMES[attribute]} is not set: {reason}")

    def faq_url(self, entry_id: str) -> str:
        """The public URL of one FAQ entry's page."""
        return f"{self.base_url}/faq/{entry_id}"


ENV_NAMES = {
    "database_url": "DATABASE_URL",
    "faq_path": "HELPBOT_FAQ_PATH",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_api_url": "SLACK_API_URL",
    "support_channel": "HELPBOT_SUPPORT_CHANNEL",
    "base_url": "HELPBOT_BASE_URL",
    "help_channels": "HELPBOT_HELP_CHANNELS",
    "smtp_url": "SMTP_URL",
    "mail_from": "HELPBOT_MAIL_FROM",
    "app_url": "HELPBOT_APP_URL",
    "invitation_limit_per_hour": "HELPBOT_INVITATION_LIMIT_PER_HOUR",
    "reset_limit_per_hour": "HELPBOT_RESET_LIMIT_PER_HOUR",
    "port": "PORT",
    "log_level": "HELPBOT_LOG_LEVEL",
    "socket_connections": "HELPBOT_SOCKET_CONNECTIONS",
    "socket_ping_timeout": "HELPBOT_SOCKET_PING_TIMEOUT",
}
assert set(ENV_NAMES) == {f.name for f in fields(Settings)}

REQUIRED_BECAUSE = {
    "slack_bot_token": "the bot token (xoxb-…) from the Slack app's OAuth & Permissions page",
    "slack_signing_secret": "the signing secret from the Slack app's Basic Information page",
    "slack_app_token": "an app-level token (xapp-…) with connections:write, for Socket Mode",
    "support_channel": "the channel ID where 'Ask a human' posts questions",
}
