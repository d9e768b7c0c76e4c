"""End to end against the real domain (bot.domain) on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set: the Slack app, the rules and the database together."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import pytest

domain_support = pytest.importorskip("tests.domain_support", reason="bot.domain has not landed")

from bot.domain.db import make_session_factory  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.domain import Domain  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.web import create_wsgi_app  # noqa: E402
from handlers import ids  # noqa: E402
from tests.e2e.conftest import Server, make_settings, serve_wsgi  # noqa: E402
from tests.e2e.helpers import action_ids, blocks, find_element, text_of, view  # noqa: E402
from tests.slack_fakes import FakeSlack, block_action, dm_event, view_submission  # noqa: E402

MIA, PIA, TOM, NED = (
    domain_support.MIA,
    domain_support.PIA,
    domain_support.TOM,
    domain_support.NED,
)


def people(slack: FakeSlack) -> None:
    slack.add_person("UMIA", MIA, name="Mia")
    slack.add_person("UPIA", PIA, name="Pia")
    slack.add_person("UTOM", TOM, name="Tom")
    slack.add_person("USTRANGER", "stranger@elsewhere.test")


@pytest.fixture
def database(tmp_path) -> Iterator[object]:
    template = domain_support.SqliteTemplate(tmp_path)
    db = template.copy(tmp_path)
    domain_support.build_directory(db.session_factory, domain_support.START)
    yield db
    db.engine.dispose()


def real_domain(session_factory) -> Domain:
    return domain_support.make_domain(
        domain_support.Database("test", None, session_factory), domain_support.FakeClock()
    )


def start(slack: FakeSlack, domain: Domain, faq_store) -> tuple[Server, object]:
    settings = make_settings(slack)
    services = Services(settings=settings, faq=faq_store, domain=domain)
    url, httpd = serve_wsgi(create_wsgi_app(create_app(settings, services), faq_store))
    return Server(url, slack, domain, settings), httpd  # type: ignore[arg-type]


@pytest.fixture
def server(slack, database, faq_store) -> Iterator[Server]:
    people(slack)
    running, httpd = start(slack, real_domain(database.session_factory), faq_store)
    yield running
    httpd.shutdown()
    httpd.server_close()


def emails_to(domain: Domain, address: str) -> list:
    domain.deliver_outbox()
    return [m for m in domain.transport.sent if address in str(m["To"])]


def test_reset_button_sends_one_reset_email(server):
    server.event(dm_event("UTOM", "I forgot my password"))
    [post] = server.slack.wait_for("chat.postMessage")
    button = find_element(blocks(post), ids.ACTION_RESET_PASSWORD)
    click = block_action(
        "UTOM", {**button, "type": "button"}, response_url=server.slack.response_url("reset")
    )
    server.interact(click)
    server.interact(click)  # delivered twice: one email
    server.slack.wait_for("response/reset", 2)
    assert len(emails_to(server.domain, TOM)) == 1


def test_reinvite_with_options(server):
    server.command("/reinvite", "<@UTOM|tom> mobile sms", "UMIA")
    [done] = server.slack.wait_for("response/r1")
    assert done.args["response_type"] == "ephemeral"
    assert "Tom Tech" in text_of(done)
    assert len(emails_to(server.domain, TOM)) == 1
    server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")


def test_web_invitation_needs_a_mobile_one_first(server):
    server.command("/reinvite", f"{NED} web", "UMIA")
    [refusal] = server.slack.wait_for("response/r1")
    assert "mobile" in text_of(refusal).lower()
    assert emails_to(server.domain, NED) == []


def test_technicians_may_not_act_on_others(server):
    server.command("/set-role", "<@UPIA|pia> site-manager", "UTOM")
    [refusal] = server.slack.wait_for("response/r1")
    assert "🚫" in text_of(refusal)
    assert server.domain.get_user_card(MIA, PIA).role == "technician"


def test_primary_contact_delete_flow(server):
    server.command("/delete-technician", "<@UPIA|pia>", "UMIA")
    modal = view(server.slack.wait_for("views.open")[0])
    server.interact(view_submission("UMIA", modal, {}))
    [refusal] = server.slack.wait_for("chat.postEphemeral")
    button = find_element(blocks(refusal), ids.ACTION_SET_ROLE)
    server.interact(
        block_action(
            "UMIA",
            {**button, "type": "button"},
            response_url=server.slack.response_url("x"),
            channel="C0GENERAL",
        )
    )
    role_modal = view(server.slack.wait_for("views.open", 2)[1])
    values = {
        ids.ROLE_BLOCK: {ids.ROLE_ACTION: {"selected_option": {"value": "install-technician"}}}
    }
    server.interact(view_submission("UMIA", role_modal, values))
    server.slack.wait_for("chat.postEphemeral", 2)
    card = server.domain.get_user_card(MIA, PIA)
    assert (card.role, card.is_primary_contact) == ("install-technician", False)
    server.command("/delete-technician", "<@UPIA|pia>", "UMIA")
    modal = view(server.slack.wait_for("views.open", 3)[2])
    server.interact(view_submission("UMIA", modal, {}))
    [*_, deleted] = server.slack.wait_for("chat.postEphemeral", 3)
    assert "✅" in text_of(deleted)


def test_team_and_home(server):
    server.command("/team", "", "UMIA")
    [team] = server.slack.wait_for("response/r1")
    assert "Pia Primary" in text_of(team)
    assert "Gus" not in text_of(team)
    server.event({"type": "app_home_opened", "user": "UMIA", "channel": "D1", "tab": "home"})
    home = view(server.slack.wait_for("views.publish")[0])
    assert ids.HOME_TEAM in action_ids(home["blocks"])
    assert "find_users" in json.dumps(home["blocks"]) or "team" in json.dumps(home["blocks"])


def test_unknown_person_is_told_whom_to_ask(server):
    server.command("/team", "", "USTRANGER")
    [refusal] = server.slack.wait_for("response/r1")
    assert "<#C0SUPPORT>" in text_of(refusal)


def test_retry_answered_once_by_two_servers_on_one_sqlite_file(server, slack, database, faq_store):
    other_engine = database.another_engine()
    other, httpd = start(slack, real_domain(make_session_factory(other_engine)), faq_store)
    try:
        event = dm_event("UTOM", "I forgot my password")
        assert server.event(event, event_id="Ev0REAL").status == 200
        assert other.event(event, event_id="Ev0REAL", retry=1).status == 200
        slack.wait_for("chat.postMessage")
        time.sleep(0.3)
        assert len(slack.of("chat.postMessage")) == 1
    finally:
        httpd.shutdown()
        httpd.server_close()
        other_engine.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL not set")
def test_retries_answered_once_by_two_servers_on_postgresql(slack, faq_store):
    schema = domain_support.PostgresSchema(os.environ["TEST_DATABASE_URL"])
    second_engine = schema.database.another_engine()
    servers = []
    try:
        domain_support.build_directory(schema.database.session_factory, domain_support.START)
        people(slack)
        first = start(slack, real_domain(schema.database.session_factory), faq_store)
        second = start(slack, real_domain(make_session_factory(second_engine)), faq_store)
        servers = [first[1], second[1]]
        events = [dm_event("UTOM", "I forgot my password") for _ in range(10)]
        for number, event in enumerate(events):
            event_id = f"Ev0PG{number:04d}"
            # Slack's first delivery to one instance, its retries to the other, interleaved.
            assert first[0].event(event, event_id=event_id).status == 200
            assert second[0].event(event, event_id=event_id, retry=1).status == 200
            assert first[0].event(event, event_id=event_id, retry=2).status == 200
        slack.wait_for("chat.postMessage", 10)
        time.sleep(0.5)
        assert len(slack.of("chat.postMessage")) == 10
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()
        second_engine.dispose()
        schema.drop()
