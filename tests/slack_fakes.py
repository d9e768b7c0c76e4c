"""A fake Slack on loopback: the Web API server that records every call, request signing, and
builders for the payloads Slack sends (shapes as documented on api.slack.com)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
BOT_USER_ID = "UHELPBOT"
BOT_ID = "BHELPBOT"
TEAM_ID = "T0TEST"


@dataclass
class Call:
    """One request the fake received: the Web API method (or response_url path) and its args."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Failure:
    status: int = 429
    retry_after: int = 0
    body: dict[str, Any] | None = None
    disconnect: bool = False


@dataclass
class FakeSlack:
    """The Slack Web API on 127.0.0.1; SLACK_API_URL points at `api_url`."""

    people: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id -> users.info user
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)  # method -> seconds to wait
    held: dict[str, threading.Event] = field(default_factory=dict)  # method -> answer when set
    socket_url: Callable[[], str] | None = None  # apps.connections.open: a Socket Mode URL
    invalid: list[tuple[str, str]] = field(default_factory=list)  # refused as Slack would
    server: ThreadingHTTPServer | None = None
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._handle(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(self.rfile.read(length))

            def _handle(self, raw: bytes) -> None:
                url = urlsplit(self.path)
                args: dict[str, Any] = dict(parse_qsl(url.query))
                content_type = self.headers.get("Content-Type", "")
                if raw and "json" in content_type:
                    args.update(json.loads(raw))
                elif raw:
                    args.update(dict(parse_qsl(raw.decode())))
                method = url.path.removeprefix("/api/").strip("/")
                if method in fake.delays:
                    time.sleep(fake.delays[method])
                if method in fake.held:  # bounded, so that a forgotten release cannot hang a run
                    fake.held[method].wait(60)
                failure = fake._next_failure(method)
                fake._record(Call(method, args, dict(self.headers.items())))
                problem = block_kit_problem(method, args)
                if failure is None and problem is not None:
                    fake.invalid.append((method, problem))
                    failure = Failure(status=200, body={"ok": False, "error": "invalid_blocks"})
                if failure is not None and failure.disconnect:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if failure is not None:
                    status, body = (
                        failure.status,
                        failure.body or {"ok": False, "error": "ratelimited"},
                    )
                    headers = {"Retry-After": str(failure.retry_after)} if status == 429 else {}
                else:
                    status, body, headers = 200, fake.answer(method, args), {}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    # -- behaviour ---------------------------------------------------------------------------
    def add_person(self, user_id: str, email: str | None, *, name: str = "", is_bot=False) -> None:
        profile = {"email": email} if email else {}
        self.people[user_id] = {
            "id": user_id,
            "name": name or user_id.lower(),
            "is_bot": is_bot,
            "profile": {**profile, "real_name": name},
        }

    def hold(self, *methods: str) -> threading.Event:
        """Answer these methods only once the returned event is set (`release`)."""
        gate = threading.Event()
        for method in methods:
            self.held[method] = gate
        return gate

    def release(self) -> None:
        """Answer every held call now."""
        for gate in self.held.values():
            gate.set()

    def fail(self, method: str, *failures: Failure) -> None:
        with self._lock:
            self.failures.setdefault(method, []).extend(failures)

    def _next_failure(self, method: str) -> Failure | None:
        with self._lock:
            queue = self.failures.get(method)
            return queue.pop(0) if queue else None

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method.startswith("response/"):
            return {"ok": True}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.com/",
                "team": "Test",
                "user": "helpbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method == "users.info":
            user = self.people.get(args.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "users.lookupByEmail":
            for user in self.people.values():
                if user["profile"].get("email") == args.get("email"):
                    return {"ok": True, "user": user}
            return {"ok": False, "error": "users_not_found"}
        if method == "chat.getPermalink":
            channel, ts = args.get("channel"), str(args.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "channel": channel,
                "permalink": f"https://test.slack.com/archives/{channel}/p{ts}",
            }
        if method in ("chat.postMessage", "chat.postEphemeral"):
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message_ts": ts}
        if method == "__counts__":  # for benchmarks running this fake in another process
            with self._lock:
                counts: dict[str, int] = {}
                for call in self.calls:
                    counts[call.method] = counts.get(call.method, 0) + 1
            return {"ok": True, "counts": counts}
        if method == "__reset__":
            self.reset()
            return {"ok": True}
        if method == "apps.connections.open":
            return {
                "ok": True,
                "url": self.socket_url() if self.socket_url else "ws://127.0.0.1:1/",
            }
        return {"ok": True}

    # -- assertions --------------------------------------------------------------------------
    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        where: Callable[[Call], bool] = lambda c: True,
    ) -> list[Call]:
        """Block until `count` matching calls arrived (lazy listeners run after the ack)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method and where(c)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.method for c in self.calls})
                    raise AssertionError(f"expected {count} {method}, got {len(found)}; saw {seen}")
                self._lock.wait(left)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.failures.clear()


# -- Block Kit: what Slack refuses with invalid_blocks ------------------------------------------
_SENDS_BLOCKS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response/")
_SENDS_VIEWS = ("views.open", "views.push", "views.publish", "views.update")


def block_kit_problem(method: str, args: dict[str, Any]) -> str | None:
    """Why Slack would refuse these blocks or this view (slack_sdk's Block Kit models and the
    documented limits), or None."""
    from slack_sdk.errors import SlackObjectFormationError
    from slack_sdk.models.blocks import Block
    from slack_sdk.models.views import View

    def decoded(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    try:
        if method.startswith(_SENDS_VIEWS) and args.get("view"):
            view = decoded(args["view"])
            View(**view).to_dict()
            limit = 100
            blocks = view.get("blocks") or []
        elif method.startswith(_SENDS_BLOCKS) and args.get("blocks"):
            blocks = decoded(args["blocks"])
            limit = 50
        else:
            return None
        if len(blocks) > limit:
            return f"{len(blocks)} blocks (at most {limit})"
        for block in blocks:
            Block.parse(block).to_dict()
            for element in [*block.get("elements", []), block.get("accessory") or {}]:
                for option in element.get("options") or []:  # not checked by the models
                    if len(option.get("value", "")) > 150:
                        return "an option value over 150 characters"
        if (text := args.get("text")) and len(text) > 40_000:
            return "text over 40,000 characters"
        return None
    except (SlackObjectFormationError, TypeError, ValueError) as error:
        return f"{type(error).__name__}: {error}"


# -- signing ----------------------------------------------------------------------------------
def signature(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: str,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    retry: int | None = None,
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(body, stamp, secret),
    }
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


# -- payloads (shapes from Slack's documentation) ---------------------------------------------
_ids = itertools.count(1)


def event_body(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """An Events API event_callback envelope."""
    return {
        "token": "deprecated",
        "team_id": TEAM_ID,
        "api_app_id": "A0HELPBOT",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }


def dm_event(
    user: str,
    text: str,
    *,
    channel: str = "D0DM",
    ts: str | None = None,
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts or f"1700000000.{next(_ids):06d}",
        "channel_type": "im",
        "event_ts": "1700000000.000001",
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def channel_message(user: str, text: str, channel: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": f"1700000001.{next(_ids):06d}",
        "channel_type": "channel",
        **extra,
    }


def mention_event(user: str, text: str, channel: str = "C0GENERAL", **extra) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": f"1700000002.{next(_ids):06d}",
        "event_ts": "1700000002.000001",
        **extra,
    }


def command_form(
    command: str, text: str, user: str, response_url: str, *, channel: str = "C0GENERAL"
) -> str:
    """A slash command: form-encoded fields."""
    return urlencode(
        {
            "token": "deprecated",
            "team_id": TEAM_ID,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0HELPBOT",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{next(_ids)}.1.trigger",
        }
    )


def interaction_form(payload: dict[str, Any]) -> str:
    """Interactivity: form-encoded `payload` holding JSON."""
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    user: str,
    action: dict[str, Any],
    *,
    response_url: str | None,
    container: dict[str, Any] | None = None,
    channel: str | None = "D0DM",
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    action = {"block_id": "b1", "action_ts": f"{time.time():.6f}", **action}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0HELPBOT",
        "token": "deprecated",
        "container": container
        or {
            "type": "message",
            "message_ts": "1700000003.000100",
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": f"{next(_ids)}.1.trigger",
        "actions": [action],
    }
    if channel:
        payload["channel"] = {"id": channel, "name": "directmessage"}
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if response_url:
        payload["response_url"] = response_url
    return payload


def view_submission(user: str, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A modal submitted: the view we opened, with state.values filled in."""
    submitted = {
        **view,
        "id": f"V{next(_ids):08d}",
        "hash": "h1",
        "team_id": TEAM_ID,
        "state": {"values": values},
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0HELPBOT",
        "token": "deprecated",
        "trigger_id": f"{next(_ids)}.1.t",
        "view": submitted,
        "response_urls": [],
    }


def message_shortcut(
    user: str, callback_id: str, message: dict[str, Any], channel: str, response_url: str
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": user, "name": user.lower(), "team_id": TEAM_ID},
        "channel": {"id": channel, "name": "support"},
        "message": message,
        "message_ts": message["ts"],
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.1.trigger",
        "action_ts": f"{time.time():.6f}",
        "token": "deprecated",
    }


def block_suggestion(user: str, action_id: str, value: str, view: dict) -> dict[str, Any]:
    return {
        "type": "block_suggestion",
        "user": {"id": user, "team_id": TEAM_ID},
        "team": {"id": TEAM_ID, "domain": "test"},
        "api_app_id": "A0HELPBOT",
        "action_id": action_id,
        "block_id": "user_pick",
        "value": value,
        "view": {**view, "id": "VSUGGEST"},
        "token": "deprecated",
    }


def serve_forever() -> None:
    """`python -m tests.slack_fakes`: run the fake in its own process; prints its API URL."""
    import sys

    fake = FakeSlack()
    for line in sys.argv[1:]:
        user_id, _, email = line.partition("=")
        fake.add_person(user_id, email or None)
    fake.start()
    print(fake.api_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    serve_forever()
