"""End-to-end fixtures: the real WSGI app served on loopback, talking to a fake Slack, with the
real domain on a SQLite database of its own for each test."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bot.app import create_app
from bot.cli.serve import socket_mode
from bot.config import Settings
from bot.domain import Domain
from bot.domain.model import Role
from bot.domain.orm import Feedback
from bot.services import Services
from bot.socket_mode import SocketModeConnections
from bot.web import create_wsgi_app
from faq import FaqStore, default_content_path
from tests import domain_support
from tests.slack_fakes import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    command_form,
    event_body,
    interaction_form,
    signed_headers,
)
from tests.socket_fakes import Envelope, FakeSocketMode

SUPPORT = "C0SUPPORT"
HELP_CHANNEL = "C0HELP"
BASE_URL = "https://help.example.com"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


class TrackedExecutor(ThreadPoolExecutor):
    """The lazy listeners' thread pool, which can say when all the work it was given is done.

    Bolt submits a request's lazy listeners before it returns the ack, so once a test has its
    reply, `wait_until_idle` covers everything that request started: "nothing else happened" is
    then checked after the work finished, not after a guess at how long it takes.
    """

    def __init__(self, workers: int = 16) -> None:
        super().__init__(workers, thread_name_prefix="helpbot-lazy")
        self._pending = 0
        self._changed = threading.Condition()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        with self._changed:
            self._pending += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future | None) -> None:
        with self._changed:
            self._pending -= 1
            self._changed.notify_all()

    def wait_until_idle(self, timeout: float = 15.0) -> None:
        """Block until no lazy listener is queued or running; fail after `timeout` seconds."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._pending == 0, timeout):
                raise AssertionError(f"{self._pending} lazy listeners still busy after {timeout}s")


@dataclass
class Server:
    """The helpbot HTTP server under test, plus helpers to send it signed Slack requests."""

    url: str
    slack: FakeSlack
    domain: Domain
    settings: Settings
    probe: Probe | None = None
    executor: TrackedExecutor = field(default_factory=TrackedExecutor)

    def idle(self, timeout: float = 15.0) -> None:
        """Wait until every request sent so far has been fully handled, lazy work included."""
        self.executor.wait_until_idle(timeout)

    def request(
        self,
        path: str,
        body: str | None = None,
        headers: dict | None = None,
        method: str | None = None,
    ) -> Reply:
        data = body.encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, headers=headers or {}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), dict(error.headers))

    def post(self, body: str, content_type: str, **signing: Any) -> Reply:
        return self.request("/slack/events", body, signed_headers(body, content_type, **signing))

    def event(self, event: dict, *, event_id: str | None = None, **signing: Any) -> Reply:
        body = json.dumps(event_body(event, event_id))
        return self.post(body, "application/json", **signing)

    def event_body(self, body: dict, **signing: Any) -> Reply:
        return self.post(json.dumps(body), "application/json", **signing)

    def command(
        self,
        command: str,
        text: str,
        user: str,
        *,
        channel: str = "C0GENERAL",
        response_url: str | None = None,
    ) -> Reply:
        form = command_form(
            command, text, user, response_url or self.slack.response_url(), channel=channel
        )
        return self.post(form, "application/x-www-form-urlencoded")

    def interact(self, payload: dict, **signing: Any) -> Reply:
        return self.post(interaction_form(payload), "application/x-www-form-urlencoded", **signing)


def serve_wsgi(wsgi_app) -> tuple[str, WSGIServer]:
    server = make_server(
        "127.0.0.1", 0, wsgi_app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


@pytest.fixture(scope="session")
def faq_store() -> FaqStore:
    return FaqStore(default_content_path())


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    fake.add_person("UMARIA", "maria@acme.test", name="Maria")
    fake.add_person("UPAT", "pat@acme.test", name="Pat")
    fake.add_person("UTOM", "tom@acme.test", name="Tom")
    fake.add_person("UGARY", "gary@globex.test", name="Gary")
    fake.add_person("USTRANGER", "stranger@elsewhere.test", name="Stranger")
    fake.add_person("UNOMAIL", None, name="No Mail")
    yield fake
    fake.stop()


MARIA, PAT, TOM, NINA = "maria@acme.test", "pat@acme.test", "tom@acme.test", "nina@acme.test"
GARY, GWEN = "gary@globex.test", "gwen@globex.test"
# account, name, email, phone, role, primary contact, has had a mobile invitation
DIRECTORY = (
    ("Acme", "Maria Manager", MARIA, "+1 555 0100", Role.SITE_MANAGER, False, True),
    ("Acme", "Pat Primary", PAT, "+1 555 0101", Role.TECHNICIAN, True, True),
    ("Acme", "Tom Tech", TOM, "+1 555 0102", Role.TECHNICIAN, False, True),
    ("Acme", "Nina New", NINA, None, Role.TECHNICIAN, False, False),
    ("Globex", "Gary Globex", GARY, "+1 555 0200", Role.SITE_MANAGER, False, True),
    ("Globex", "Gwen <!channel> Tech", GWEN, "+1 555 0201", Role.TECHNICIAN, False, True),
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> domain_support.SqliteTemplate:
    return domain_support.SqliteTemplate(tmp_path_factory.mktemp("template"))


@pytest.fixture
def database(sqlite_template, tmp_path) -> Iterator[domain_support.Database]:
    database = sqlite_template.copy(tmp_path)
    domain_support.build_directory(database.session_factory, domain_support.START, DIRECTORY)
    yield database
    database.engine.dispose()


def make_domain(database: domain_support.Database, cls: type[Domain] = Domain) -> Domain:
    """The real domain on the test database, a clock that stands still and mail kept in memory."""
    return cls(
        database.session_factory,
        clock=domain_support.FakeClock(),
        transport=domain_support.MemoryTransport(),
        app_url=domain_support.APP_URL,
    )


@pytest.fixture
def domain(database) -> Domain:
    return make_domain(database)


class Probe:
    """Reads what the domain did, through its public API (and the feedback table)."""

    def __init__(self, domain: Domain, database: domain_support.Database) -> None:
        self.domain = domain
        self.database = database

    def emails(self, to: str | None = None) -> list[str]:
        """Subjects of the emails sent (to one address), after delivering the outbox."""
        self.domain.deliver_outbox()
        return [m["Subject"] for m in self.domain.transport.sent if to is None or m["To"] == to]

    def user(self, email: str):
        [card] = [c for c in self.domain.directory(include_deleted=True) if c.email == email]
        return card

    def done(self) -> list[str]:
        """The actions that changed something, oldest first (audit outcome ok)."""
        changes = {
            "reinvite",
            "reset_password",
            "set_role",
            "set_primary_contact",
            "delete_technician",
        }
        return [
            e.action
            for e in reversed(self.domain.audit_log())
            if e.outcome == "ok" and e.action in changes
        ]

    def feedback(self) -> dict[tuple[str, str], bool]:
        with self.database.session_factory() as session:
            rows = session.query(Feedback).all()
            return {(r.voter, r.entry_id): r.helpful for r in rows}

    def snapshot(self) -> str:
        """Everything an action could change, to compare before and after."""
        users = [
            (c.email, c.role, c.status, c.is_primary_contact, c.invitation)
            for c in self.domain.directory(include_deleted=True)
        ]
        return json.dumps([users, self.emails(), sorted(map(str, self.feedback()))])


def make_settings(slack: FakeSlack) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.api_url,
        support_channel=SUPPORT,
        base_url=BASE_URL,
        help_channels=frozenset({HELP_CHANNEL}),
    )


def start_server(slack: FakeSlack, domain: Domain, faq_store: FaqStore, database=None):
    settings = make_settings(slack)
    services = Services(settings=settings, faq=faq_store, domain=domain)
    executor = TrackedExecutor()
    app = create_app(settings, services, listener_executor=executor)
    wsgi = create_wsgi_app(app, faq_store, signing_secret=SIGNING_SECRET)
    url, server = serve_wsgi(wsgi)
    probe = Probe(domain, database) if database is not None else None
    return Server(url, slack, domain, settings, probe, executor), server


@pytest.fixture
def server(slack: FakeSlack, domain: Domain, database, faq_store: FaqStore) -> Iterator[Server]:
    running, httpd = start_server(slack, domain, faq_store, database)
    yield running
    httpd.shutdown()
    httpd.server_close()


# -- Socket Mode ------------------------------------------------------------------------------
APP_TOKEN = "xapp-test-token"


class ClaimCountingDomain(Domain):
    """The real domain, also recording every delivery claim and whether it won."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claims: list[tuple[str, bool]] = []

    def claim_delivery(self, key: str) -> bool:
        won = super().claim_delivery(key)
        self.claims.append((key, won))
        return won


@dataclass
class SocketBot:
    """`helpbot socket` under test (the CLI's own factory) on a fake Socket Mode server."""

    slack: FakeSlack
    socket: FakeSocketMode
    domain: Domain
    settings: Settings
    connections: SocketModeConnections

    def event(self, event: dict, *, event_id: str | None = None, **envelope: Any) -> Envelope:
        return self.socket.send("events_api", event_body(event, event_id), **envelope)

    def command(self, command: str, text: str, user: str, **envelope: Any) -> Envelope:
        form = command_form(command, text, user, self.slack.response_url())
        return self.socket.send("slash_commands", dict(parse_qsl(form)), **envelope)

    def interact(self, payload: dict, **envelope: Any) -> Envelope:
        return self.socket.send("interactive", payload, **envelope)


def start_socket_bot(
    slack: FakeSlack, domain: Domain, faq_store: FaqStore, **settings: Any
) -> tuple[SocketBot, FakeSocketMode]:
    fake = FakeSocketMode().start()
    slack.socket_url = fake.url
    configured = replace(make_settings(slack), slack_app_token=APP_TOKEN, **settings)
    services = Services(settings=configured, faq=faq_store, domain=domain)
    connections = socket_mode(configured, services)
    connections.connect()
    fake.wait_for_links(configured.socket_connections)
    return SocketBot(slack, fake, domain, configured, connections), fake


@pytest.fixture
def socket_domain(database) -> ClaimCountingDomain:
    return make_domain(database, ClaimCountingDomain)  # type: ignore[return-value]


@pytest.fixture
def socket_bot(slack, socket_domain, faq_store) -> Iterator[SocketBot]:
    """helpbot in Socket Mode with the default settings (connections, ping timeout)."""
    bot, fake = start_socket_bot(slack, socket_domain, faq_store)
    yield bot
    # Server first: its resets wake the clients' reader threads, so closing takes no 3 s wait.
    fake.stop()
    bot.connections.close()
