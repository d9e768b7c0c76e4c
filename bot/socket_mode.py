"""Socket Mode: several WebSocket connections to Slack serving one Bolt app, each replaced on
its own as soon as it stops answering pings."""

from __future__ import annotations

import logging
import threading
import time

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

log = logging.getLogger(__name__)

# slack_sdk's built-in client pings every `ping_interval` seconds and drops a connection whose
# last pong is more than four intervals old (or after five failed pings); the ping timeout we
# are given is therefore four intervals.
PINGS_PER_TIMEOUT = 4


class AckingSocketModeHandler(SocketModeHandler):
    """Bolt's handler, except that an envelope no listener wants is acked as well.

    Bolt leaves it unacked (over HTTP it would answer 404), so Slack redelivers an event three
    times and shows the person an error for a click; acking says "received, nothing to do".
    """

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:
        started = time.time()
        response = run_bolt_app(self.app, req)
        if response.status == 404:
            log.info("Socket Mode: no listener for a %s envelope; acked", req.type)
            response = BoltResponse(status=200, body="")
        send_response(client, req, response, started)


class SocketModeConnections:
    """Several Socket Mode connections for one app: while a dead one is replaced, the rest serve."""

    def __init__(self, app: App, app_token: str, *, connections: int, ping_timeout: float) -> None:
        self.handlers = [
            AckingSocketModeHandler(
                app,
                app_token=app_token,
                web_client=app.client,
                logger=logging.getLogger(f"helpbot.socket.{number}"),
                ping_interval=ping_timeout / PINGS_PER_TIMEOUT,
            )
            for number in range(connections)
        ]
        self._stopped = threading.Event()

    def connect(self) -> None:
        """Open every connection (each calls apps.connections.open for its own URL)."""
        for handler in self.handlers:
            handler.connect()
        log.info("Socket Mode: %d connections open", len(self.handlers))

    def serve_forever(self) -> None:
        """Block until `close()` (or Ctrl+C), the connections serving meanwhile."""
        try:
            self._stopped.wait()
        finally:
            self.close()

    def close(self) -> None:
        """Close every connection; nothing reconnects afterwards."""
        self._stopped.set()
        # All at once: each client waits up to its 3 s receive timeout for its reader thread.
        closing = [threading.Thread(target=handler.close) for handler in self.handlers]
        for thread in closing:
            thread.start()
        for thread in closing:
            thread.join()
