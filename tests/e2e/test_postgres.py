"""Two helpbot servers on one PostgreSQL database answer each Slack event once, however Slack's
first delivery and its retries (X-Slack-Retry-Num) are spread over them."""

from __future__ import annotations

import os

import pytest

from bot.domain.db import make_session_factory
from tests import domain_support
from tests.e2e.conftest import DIRECTORY, make_domain, start_server
from tests.slack_fakes import dm_event

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL is not set"
    ),
]


def test_retries_are_answered_once_by_two_servers_on_postgresql(slack, faq_store):
    schema = domain_support.PostgresSchema(os.environ["TEST_DATABASE_URL"])
    second_engine = schema.database.another_engine()
    httpds = []
    try:
        domain_support.build_directory(
            schema.database.session_factory, domain_support.START, DIRECTORY
        )
        second = domain_support.Database(
            "postgresql", second_engine, make_session_factory(second_engine)
        )
        first, httpd = start_server(slack, make_domain(schema.database), faq_store)
        httpds.append(httpd)
        other, httpd = start_server(slack, make_domain(second), faq_store)
        httpds.append(httpd)
        for number in range(10):
            event = dm_event("UTOM", "I forgot my password")
            event_id = f"Ev0PG{number:04d}"
            # The first delivery to one instance, the retries to both, interleaved.
            assert first.event(event, event_id=event_id).status == 200
            assert other.event(event, event_id=event_id, retry=1).status == 200
            assert first.event(event, event_id=event_id, retry=2).status == 200
        slack.wait_for("chat.postMessage", 10)
        first.idle()
        other.idle()
        assert len(slack.of("chat.postMessage")) == 10
    finally:
        for httpd in httpds:
            httpd.shutdown()
            httpd.server_close()
        second_engine.dispose()
        schema.drop()
