"""A fake Slack Socket Mode server on loopback: a real WebSocket server speaking the documented
protocol (hello, envelopes, acks, disconnect), driven by the fake Web API's apps.connections.open.

Slack's protocol, as the tests use it:
- the app calls `apps.connections.open` and opens the `wss://` URL it returns; Slack sends
  `{"type": "hello", "num_connections": N, ...}`;
- every request is an envelope `{"envelope_id", "type": "events_api" | "slash_commands" |
  "interactive", "payload", "accepts_response_payload", "retry_attempt", "retry_reason"}`, sent to
  one of the app's open connections; the app acks with `{"envelope_id", "payload"?}` within 3 s;
- `{"type": "disconnect", "reason": "refresh_requested"}` asks the app to open a new connection.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

APP_ID = "A0HELPBOT"


@dataclass
class Link:
    """One WebSocket connection the app opened."""

    number: int
    path: str
    opened_at: float
    connection: ServerConnection
    closed_at: float | None = None
    dropped: bool = False  # the fake stopped talking to it (see FakeSocketMode.drop)

    @property
    def live(self) -> bool:
        return self.closed_at is None and not self.dropped


@dataclass
class Envelope:
    """An envelope the fake sent, and the app's ack once it came."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    link: int
    sent_at: float
    ack: dict[str, Any] | None = None
    acked_at: float | None = None
    acked_on: int | None = None

    @property
    def ack_seconds(self) -> float:
        assert self.acked_at is not None
        return self.acked_at - self.sent_at


@dataclass
class FakeSocketMode:
    """Socket Mode on ws://127.0.0.1; FakeSlack's apps.connections.open hands out `url()`."""

    links: list[Link] = field(default_factory=list)
    envelopes: dict[str, Envelope] = field(default_factory=dict)
    stray: list[str] = field(default_factory=list)  # messages that were not acks of ours
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _turn: itertools.count = field(default_factory=lambda: itertools.count())
    _loop: asyncio.AbstractEventLoop | None = None
    _port: int = 0

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> FakeSocketMode:
        started = threading.Event()
        self._loop = asyncio.new_event_loop()

        async def main() -> None:
            # The server never pings: a dead peer must be found by the app's own pings.
            async with serve(self._serve, "127.0.0.1", 0, ping_interval=None) as server:
                self._port = server.sockets[0].getsockname()[1]
                self._stopping = asyncio.Event()
                started.set()
                await self._stopping.wait()
                for link in self.links:
                    link.connection.transport.abort()

        threading.Thread(target=self._loop.run_until_complete, args=(main(),), daemon=True).start()
        if not started.wait(10):
            raise RuntimeError("the fake Socket Mode server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._stopping.set)

    def url(self) -> str:
        """A fresh connection URL, as apps.connections.open returns one per call."""
        return f"ws://127.0.0.1:{self._port}/link/?ticket={next(self._ids)}"

    # -- the server side of one connection ---------------------------------------------------
    async def _serve(self, connection: ServerConnection) -> None:
        with self._lock:
            link = Link(len(self.links), connection.request.path, time.monotonic(), connection)
            self.links.append(link)
            live = sum(1 for each in self.links if each.live)
            self._lock.notify_all()
        hello = {
            "type": "hello",
            "num_connections": live,
            "debug_info": {
                "host": "applink-fake",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": APP_ID},
        }
        try:
            await connection.send(json.dumps(hello))
            async for raw in connection:
                self._received(link, raw if isinstance(raw, str) else raw.decode())
        except Exception:  # noqa: S110 - a connection the app dropped is simply closed
            pass
        finally:
            with self._lock:
                link.closed_at = time.monotonic()
                self._lock.notify_all()

    def _received(self, link: Link, raw: str) -> None:
        message = json.loads(raw)
        with self._lock:
            envelope = self.envelopes.get(message.get("envelope_id", ""))
            if envelope is None or envelope.acked_at is not None:
                self.stray.append(raw)
            else:
                envelope.ack = message
                envelope.acked_at = time.monotonic()
                envelope.acked_on = link.number
            self._lock.notify_all()

    def _call(self, coroutine) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(5)

    # -- what Slack does ---------------------------------------------------------------------
    def send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        link: Link | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> Envelope:
        """Send one envelope to `link`, or (like Slack) to one of the live connections."""
        with self._lock:
            if link is None:
                live = [each for each in self.links if each.live]
                if not live:
                    raise AssertionError("no live Socket Mode connection to deliver to")
                link = live[next(self._turn) % len(live)]
            envelope = Envelope(
                f"env-{next(self._ids):06d}", kind, payload, link.number, time.monotonic()
            )
            self.envelopes[envelope.envelope_id] = envelope
        message = {
            "envelope_id": envelope.envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            message["retry_attempt"] = retry_attempt
            message["retry_reason"] = retry_reason
        envelope.sent_at = time.monotonic()
        self._call(link.connection.send(json.dumps(message)))
        return envelope

    def refresh(self, link: Link) -> None:
        """Ask the app to replace this connection, as Slack does every few hours."""
        message = {
            "type": "disconnect",
            "reason": "refresh_requested",
            "debug_info": {"host": "applink-fake"},
        }
        self._call(link.connection.send(json.dumps(message)))

    def drop(self, link: Link, *, reset: bool = False) -> None:
        """Kill a connection without a close frame.

        By default it goes silent, as when a NAT or load balancer forgets it: nothing is read
        (so pings get no pong), nothing is sent, and the TCP connection is never closed. With
        `reset`, the TCP connection is aborted (RST) instead.
        """
        with self._lock:
            link.dropped = True

        async def kill() -> None:
            if reset:
                link.connection.transport.abort()
            else:
                link.connection.transport.pause_reading()

        self._call(kill())

    # -- assertions --------------------------------------------------------------------------
    def wait_until(self, condition: Callable[[], Any], timeout: float, what: str) -> Any:
        """Block until `condition()` is truthy (checked whenever the fake sees something)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not (result := condition()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
                self._lock.wait(min(left, 0.1))
            return result

    def live_links(self) -> list[Link]:
        with self._lock:
            return [link for link in self.links if link.live]

    def wait_for_links(self, count: int, timeout: float = 10.0) -> list[Link]:
        """Until `count` live connections are open; returns them."""
        return self.wait_until(
            lambda: (live := self.live_links()) and len(live) >= count and live,
            timeout,
            f"{count} live connections",
        )

    def wait_for_ack(self, envelope: Envelope, timeout: float = 5.0) -> dict[str, Any]:
        """The app's ack of one envelope."""
        self.wait_until(lambda: envelope.acked_at is not None, timeout, envelope.envelope_id)
        assert envelope.ack is not None
        return envelope.ack
