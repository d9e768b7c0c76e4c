"""Wiring only: the Slack client, the Bolt app and its listeners, built from settings.

Nothing here runs at import time; `create_app` is called once per process (per gunicorn
worker, in Socket Mode once).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.web import SlackResponse

from bot.config import Settings
from bot.services import Services

log = logging.getLogger(__name__)

# Required to talk to Slack at all; Socket Mode also needs SLACK_APP_TOKEN.
REQUIRED = ("slack_bot_token", "slack_signing_secret", "support_channel")

# auth.test answers that say the token itself is wrong (anything else may pass).
TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "no_permission",
        "missing_scope",
        "team_access_not_granted",
    }
)


class SlackTokenRejected(Exception):
    """Slack refused SLACK_BOT_TOKEN: a configuration error, not worth retrying."""


class SlackUnavailable(Exception):
    """auth.test failed for a reason that may pass (Slack or the network is down for now).

    Raised while authorising a request, it answers with HTTP 500, so that Slack retries events.
    """


def slack_client(settings: Settings, *, token: str | None = None) -> WebClient:
    """A Web API client for SLACK_API_URL that retries on 429 (Retry-After) and lost
    connections; it never retries on a 5xx, which could post a message twice."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def _drop(record: logging.LogRecord) -> bool:
    return False


def check_token(settings: Settings, *, retries: int = 4) -> SlackResponse:
    """auth.test for SLACK_BOT_TOKEN, retried on lost connections, 429 and 5xx (it changes
    nothing, so a retry is safe). Raises SlackTokenRejected or SlackUnavailable."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    client = WebClient(
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
            RateLimitErrorRetryHandler(max_retry_count=retries),
            ServerErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
        ],
    )
    return _auth_test(client, settings.slack_bot_token or "")


def _auth_test(client: WebClient, token: str) -> SlackResponse:
    try:
        return client.auth_test(token=token)
    except SlackApiError as error:
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        if code in TOKEN_ERRORS:
            raise SlackTokenRejected(
                f"Slack refused SLACK_BOT_TOKEN ({code}): use the Bot User OAuth Token (xoxb-…) "
                "from the app's OAuth & Permissions page, reinstalling the app if it was revoked."
            ) from None
        status = error.response.status_code
        raise SlackUnavailable(
            f"Slack's auth.test failed (HTTP {status}, {code or 'no error code'})"
        ) from None
    except OSError as error:  # connection refused, DNS, timeout: after the retries
        raise SlackUnavailable(
            f"could not reach Slack at {client.base_url}: {type(error).__name__}"
        ) from None


def authorization(client: WebClient, token: str, known: SlackResponse | None = None):
    """Bolt's `authorize`: the bot's identity from auth.test, fetched once per process.

    Bolt's own single-workspace authorisation answers a failed auth.test with HTTP 200 and
    "your installation is no longer available", so Slack never retries the event; this raises
    SlackUnavailable instead, which `handlers.errors` turns into a 500 for events.
    """
    lock = threading.Lock()
    cached: list[SlackResponse] = [known] if known is not None else []

    def authorize(enterprise_id, team_id, user_id) -> AuthorizeResult:
        with lock:
            if not cached:
                try:
                    cached.append(_auth_test(client, token))
                except SlackTokenRejected as error:
                    raise SlackUnavailable(str(error)) from None
            return AuthorizeResult.from_auth_test_response(
                auth_test_response=cached[0], bot_token=token
            )

    return authorize


class _NotTheTokenWarning(logging.Filter):
    """Drops Bolt's "`token` will be unused": Bolt reads SLACK_BOT_TOKEN from the environment
    on its own, and helpbot hands that token to `authorize` on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def create_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
    socket_mode: bool = False,
    auth_test: SlackResponse | None = None,
) -> App:
    """The Bolt app with every listener registered.

    Listeners ack first (`process_before_response=True` makes the HTTP response wait for the
    ack function only) and do slow work (Slack calls, email) in lazy listeners on a thread pool
    (`listener_executor`, 16 threads unless given one). `auth_test` is the start-up check's
    answer, if there was one (else the first request asks).
    """
    if socket_mode:  # requests arrive over the app-token WebSocket: nothing to sign
        settings.require("slack_bot_token", "support_channel")
    else:
        settings.require(*REQUIRED)
    import handlers
    import handlers.kit

    # The client carries no token: Bolt gives each request a copy with the one `authorize`
    # returns (a token on the client would make Bolt use its own authorisation instead).
    client = client or slack_client(settings)
    token = settings.slack_bot_token or ""
    bolt_log = logging.getLogger("helpbot.slack")
    if not any(isinstance(f, _NotTheTokenWarning) for f in bolt_log.filters):
        bolt_log.addFilter(_NotTheTokenWarning())
    app = App(
        name="helpbot",
        client=client,
        authorize=authorization(client, token, auth_test),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        listener_executor=listener_executor
        or ThreadPoolExecutor(16, thread_name_prefix="helpbot-lazy"),
        logger=bolt_log,
        before_authorize=handlers.kit.mark_verified,  # runs right after the signature check
    )
    # Bolt logs a rejected request's whole body at INFO; bodies are never logged.
    logging.getLogger("slack_bolt.RequestVerification").addFilter(_drop)
    handlers.register(app, services)
    return app
