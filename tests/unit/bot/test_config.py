"""Settings from the environment: defaults, parsing, clear errors, secrets kept out of repr."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings


def test_defaults_without_environment():
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///helpbot.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.faq_path.name == "content"
    assert settings.help_channels == frozenset()
    assert (settings.socket_connections, settings.socket_ping_timeout) == (2, 4.0)


def test_values_are_parsed():
    settings = Settings.from_env(
        {
            "HELPBOT_HELP_CHANNELS": "C1, C2;C3",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "HELPBOT_BASE_URL": "https://help.example.com/",
            "PORT": "8080",
            "HELPBOT_SOCKET_CONNECTIONS": "10",
            "HELPBOT_SOCKET_PING_TIMEOUT": "2.5",
        }
    )
    assert (settings.socket_connections, settings.socket_ping_timeout) == (10, 2.5)
    assert settings.help_channels == {"C1", "C2", "C3"}
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.faq_url("help") == "https://help.example.com/faq/help"
    assert settings.port == 8080


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"HELPBOT_INVITATION_LIMIT_PER_HOUR": "0"}, "must be at least 1"),
        ({"HELPBOT_BASE_URL": "help.example.com"}, "HELPBOT_BASE_URL must start with http"),
        ({"HELPBOT_SOCKET_CONNECTIONS": "11"}, "at most 10 \\(Slack's limit per app\\)"),
        ({"HELPBOT_SOCKET_CONNECTIONS": "0"}, "HELPBOT_SOCKET_CONNECTIONS must be at least 1"),
        ({"HELPBOT_SOCKET_PING_TIMEOUT": "0.5"}, "must be at least 1 seconds"),
        ({"HELPBOT_SOCKET_PING_TIMEOUT": "nan"}, "must be at least 1 seconds"),
        ({"HELPBOT_SOCKET_PING_TIMEOUT": "soon"}, "must be a number of seconds"),
    ],
)
def test_bad_values_name_the_setting(env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_require_names_the_missing_setting_in_one_line():
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"})
    settings.require("slack_bot_token")
    with pytest.raises(ConfigError) as caught:
        settings.require("slack_bot_token", "slack_signing_secret")
    assert str(caught.value).startswith("SLACK_SIGNING_SECRET is not set")
    assert "\n" not in str(caught.value)


def test_secrets_never_appear_in_repr():
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-secret",
            "SLACK_SIGNING_SECRET": "shh",
            "SMTP_URL": "smtp://u:p@h",
        }
    )
    assert "xoxb-secret" not in repr(settings)
    assert "shh" not in repr(settings)
    assert "u:p" not in repr(settings)


@pytest.mark.parametrize(
    "url",
    [
        "http://mailer:hunter2@mail.example.com:25",  # wrong scheme
        "mail.example.com:hunter2",  # no scheme at all
        "smtp://mailer:hunter2@",  # no host
        "smtp://mailer:hunter2",  # the password where the port goes
        "smtp://mailer:hunter2@mail.example.com:port",  # a port that is not a number
        "smtp://mailer:hunter2@mail.example.com:99999",
    ],
)
def test_a_malformed_smtp_url_is_named_without_its_password(url):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"SMTP_URL": url})
    message = str(caught.value)
    assert message.startswith("SMTP_URL")
    assert "hunter2" not in message
    assert "\n" not in message


def test_a_malformed_smtp_url_never_reaches_the_terminal_with_its_password(capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("SMTP_URL", "smtp://mailer:hunter2")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("HELPBOT_SUPPORT_CHANNEL", "C1")
    status = main(["serve", "--port", "1"])
    captured = capsys.readouterr()
    assert status == 2
    assert "SMTP_URL" in captured.err
    assert "hunter2" not in captured.out + captured.err


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("smtp://mailer:hunter2@mail.example.com:25", "smtp://***@mail.example.com:25"),
        ("smtp://mailer:hunter2", "smtp://mailer:***"),
        ("smtps://mail.example.com:465", "smtps://mail.example.com:465"),
        ("u:p@ss:hunter2@host", "***@host"),
    ],
)
def test_redact_credentials(url, shown):
    from bot.text import redact_credentials

    assert redact_credentials(url) == shown
