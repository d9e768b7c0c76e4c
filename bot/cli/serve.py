"""`helpbot serve` (Slack over HTTP, gunicorn) and `helpbot socket` (Slack Socket Mode)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
from typing import TYPE_CHECKING

from bot.cli.common import CommandFailed
from bot.config import Settings
from bot.services import Services
from faq import FaqStore

if TYPE_CHECKING:  # Slack is imported only by the commands that connect to it
    from slack_sdk.web import SlackResponse

    from bot.socket_mode import SocketModeConnections

log = logging.getLogger(__name__)


def default_workers() -> int:
    """WEB_CONCURRENCY if set, else two per core (at least 2, at most 8)."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise CommandFailed(f"WEB_CONCURRENCY must be a whole number, got {raw!r}") from None
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `serve` and `socket` to the command line."""
    serve = subparsers.add_parser(
        "serve",
        help="serve Slack over HTTP (POST /slack/events), /healthz and the FAQ pages",
        description="Run the production HTTP server: gunicorn with several workers.",
    )
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")  # noqa: S104
    serve.add_argument(
        "--workers", type=int, help="worker processes (default WEB_CONCURRENCY or two per core)"
    )
    serve.add_argument("--threads", type=int, default=8, help="threads per worker (default 8)")
    serve.add_argument("--access-log", action="store_true", help="log every request to stdout")
    serve.set_defaults(handler=run_serve, default_log_level="INFO")

    socket = subparsers.add_parser(
        "socket",
        help="connect to Slack in Socket Mode (SLACK_APP_TOKEN); no public URL needed",
    )
    socket.set_defaults(handler=run_socket, default_log_level="INFO")


def checked_token(settings: Settings):
    """auth.test at start-up, with retries; one clear line (CommandFailed) if it fails."""
    from bot.app import SlackTokenRejected, SlackUnavailable, check_token

    try:
        return check_token(settings)
    except SlackTokenRejected as error:
        raise CommandFailed(str(error), exit_code=2) from None
    except SlackUnavailable as error:
        raise CommandFailed(
            f"could not check SLACK_BOT_TOKEN: {error}. Check SLACK_API_URL and the network, "
            "then start again.",
            exit_code=2,
        ) from None


def run_serve(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    from bot.app import REQUIRED
    from bot.services import build_services

    settings = Settings.from_env()
    settings.require(*REQUIRED)
    auth_test = checked_token(settings)  # the workers inherit the answer
    services = build_services(settings)  # fail here, once, on a broken FAQ or database
    services.domain.check_schema()  # SchemaOutOfDate names `helpbot db upgrade`
    services.domain.close()  # the workers open their own connections
    port = args.port or settings.port
    options = {
        "bind": f"{args.host}:{port}",
        "workers": args.workers or default_workers(),
        "worker_class": "gthread",
        "threads": max(1, args.threads),
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-" if args.access_log else None,
        "errorlog": "-",
        "loglevel": logging.getLevelName(logging.getLogger().level).lower(),  # as main() set it
        "proc_name": "helpbot",
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            from bot.wsgi import create

            return create(auth_test=auth_test)  # in each worker: its own app, client, threads

    log.info("helpbot serving on %s with %s workers", options["bind"], options["workers"])
    Server().run()
    return 0


def reload_faq_on_sighup(store: FaqStore) -> None:
    """`kill -HUP <pid>` re-reads the knowledge base now (an invalid one is logged, not served)."""
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda _signum, _frame: store.refresh(force=True))


def socket_mode(
    settings: Settings, services: Services, *, auth_test: SlackResponse | None = None
) -> SocketModeConnections:
    """The Bolt app and its Socket Mode connections, as `helpbot socket` runs them
    (`auth_test`: the start-up token check's answer, if there was one)."""
    from bot.app import create_app
    from bot.socket_mode import SocketModeConnections

    settings.require("slack_bot_token", "slack_app_token", "support_channel")
    app = create_app(settings, services, socket_mode=True, auth_test=auth_test)
    return SocketModeConnections(
        app,
        app_token=settings.slack_app_token or "",
        connections=settings.socket_connections,
        ping_timeout=settings.socket_ping_timeout,
    )


def run_socket(args: argparse.Namespace | None = None, *, services: Services | None = None) -> int:
    """Socket Mode: Slack pushes requests over WebSockets opened with SLACK_APP_TOKEN."""
    from bot.services import build_services

    settings = services.settings if services is not None else Settings.from_env()
    settings.require("slack_bot_token", "slack_app_token", "support_channel")
    auth_test = checked_token(settings)
    services = services or build_services(settings)
    services.domain.check_schema()
    services.domain.start_outbox_relay()  # invitation and reset emails
    connections = socket_mode(settings, services, auth_test=auth_test)
    reload_faq_on_sighup(services.faq)
    connections.connect()
    print("helpbot is connected to Slack in Socket Mode. Press Ctrl+C to stop.", flush=True)
    connections.serve_forever()
    return 0
