"""The app factory gunicorn calls in each worker: `gunicorn 'bot.wsgi:create()'`."""

from __future__ import annotations

from bot.config import Settings
from bot.web import WsgiApp


def create(settings: Settings | None = None, *, auth_test=None) -> WsgiApp:
    """Settings from the environment -> services -> Bolt app -> the WSGI callable."""
    from bot.app import create_app
    from bot.services import build_services
    from bot.web import create_wsgi_app

    settings = settings or Settings.from_env()
    services = build_services(settings)
    services.domain.start_outbox_relay()  # each worker delivers invitation and reset emails
    app = create_app(settings, services, auth_test=auth_test)
    return create_wsgi_app(app, services.faq, signing_secret=settings.slack_signing_secret or "")
