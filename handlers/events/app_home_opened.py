"""The App Home tab: topics, search; for Site Managers quick actions and recent audit events."""

from __future__ import annotations

from handlers.domain import DomainError
from handlers.kit import SlackServices
from handlers.render.home import home


def handler(services: SlackServices):
    def on_app_home_opened(event, client):
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        capabilities, audit, unknown = None, [], None
        try:
            actor = services.actor(client, user_id)
            capabilities = services.domain.capabilities(actor)
            if capabilities.is_site_manager:
                audit = services.domain.recent_audit(actor, limit=10)
        except DomainError as refusal:
            unknown = refusal.user_message
        view = home(
            services.faq.knowledge_base,
            capabilities,
            audit,
            unknown_reason=unknown,
            support_channel=services.settings.support_channel,
        )
        client.views_publish(user_id=user_id, view=view)

    return on_app_home_opened
