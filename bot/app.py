"""Wiring only: the Slack client, the Bolt app and its listeners, built from settings.

Nothing here runs at import time; `create_app` is called once per process (per gunicorn
worker, in Socket Mode once).
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.config import Settings
from bot.services import Services

# Required to talk to Slack at all; Socket Mode also needs SLACK_APP_TOKEN.
REQUIRED = ("slack_bot_token", "slack_signing_secret", "support_channel")


def slack_client(settings: Settings) -> WebClient:
    """A Web API client for SLACK_API_URL that retries on 429 (Retry-After) and lost
    connections; it never retries on a 5xx, which could post a message twice."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def _drop(record: logging.LogRecord) -> bool:
    return False


def create_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
    socket_mode: bool = False,
) -> App:
    """The Bolt app with every listener registered.

    Listeners ack first (`process_before_response=True` makes the HTTP response wait for the
    ack function only) and do slow work (Slack calls, email) in lazy listeners on a thread pool
    (`listener_executor`, 16 threads unless given one).
    """
    if socket_mode:  # requests arrive over the app-token WebSocket: nothing to sign
        settings.require("slack_bot_token", "support_channel")
    else:
        settings.require(*REQUIRED)
    import handlers
    import handlers.kit

    app = App(
        name="helpbot",
        client=client or slack_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        token_verification_enabled=False,  # auth.test on the first request, not at import
        listener_executor=listener_executor
        or ThreadPoolExecutor(16, thread_name_prefix="helpbot-lazy"),
        logger=logging.getLogger("helpbot.slack"),
        before_authorize=handlers.kit.mark_verified,  # runs right after the signature check
    )
    # Bolt logs a rejected request's whole body at INFO; bodies are never logged.
    logging.getLogger("slack_bolt.RequestVerification").addFilter(_drop)
    handlers.register(app, services)
    return app
