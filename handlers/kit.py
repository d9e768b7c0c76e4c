"""What every listener shares: the services, the Slack-user directory cache, private replies,
idempotency keys and `lazy()`, which routes a lazy listener's errors to `handlers.errors`."""

from __future__ import annotations

import inspect
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.services import Services
from faq import FaqStore
from handlers.domain import ActionResult, Domain, NoSlackEmail, NotInDirectory, UnknownActor
from handlers.parsing import FormInvalid, UserRef
from handlers.render.admin import result
from handlers.render.text import escape

log = logging.getLogger(__name__)

# Keys that listeners put in Bolt's per-request context for the error handler.
TARGET_KEY = "helpbot_target_email"
REPLY_CHANNEL_KEY = "helpbot_reply_channel"
# Set when the ack itself already told the person about an error (a command's usage error):
# the lazy listener, which Bolt starts anyway, must not tell them again.
ANSWERED_KEY = "helpbot_answered_in_ack"
# Set once Bolt's signature check passed (or in Socket Mode, where Slack's WebSocket is the
# proof): nothing may be posted, fetched or answered for a request without it.
VERIFIED_KEY = "helpbot_verified"


def mark_verified(context: dict[str, Any], next: Callable[[], None]) -> None:
    """Bolt's `before_authorize` middleware: it runs only after the request was verified."""
    context[VERIFIED_KEY] = True
    next()


class People:
    """Slack user id -> directory email, via users.info (scope users:read.email), with a TTL.

    Thread-safe; one per app. Negative answers (no such user, no email) are cached too.
    """

    def __init__(
        self,
        *,
        ttl: float = 600.0,
        max_entries: int = 20_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._emails: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._ids: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def _cached(self, table: OrderedDict, key: str) -> tuple[bool, str | None]:
        with self._lock:
            hit = table.get(key)
            if hit is None or self._clock() - hit[0] > self._ttl:
                return False, None
            return True, hit[1]

    def _store(self, table: OrderedDict, key: str, value: str | None) -> None:
        with self._lock:
            table[key] = (self._clock(), value)
            table.move_to_end(key)
            while len(table) > self._max:
                table.popitem(last=False)

    def email_of(self, client: WebClient, user_id: str) -> str | None:
        """The email on this Slack user's profile, or None (bots, guests without email…)."""
        found, email = self._cached(self._emails, user_id)
        if found:
            return email
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") not in ("user_not_found", "user_not_visible"):
                raise
            user = {}
        profile = user.get("profile") or {}
        email = None if user.get("is_bot") else (profile.get("email") or "").lower() or None
        self._store(self._emails, user_id, email)
        if email:
            self._store(self._ids, email, user_id)
        return email

    def slack_id_of(self, client: WebClient, email: str) -> str | None:
        """The Slack user with this email (users.lookupByEmail), or None."""
        found, user_id = self._cached(self._ids, email)
        if found:
            return user_id
        try:
            user_id = client.users_lookupByEmail(email=email)["user"]["id"]
        except SlackApiError as exc:
            if exc.response.get("error") != "users_not_found":
                raise
            user_id = None
        self._store(self._ids, email, user_id)
        return user_id


@dataclass(frozen=True)
class SlackServices:
    """What the listeners use: the shared services plus the Slack-side directory cache."""

    services: Services
    domain: Domain
    people: People

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def faq(self) -> FaqStore:
        return self.services.faq

    def faq_url(self, entry_id: str) -> str:
        return self.settings.faq_url(entry_id)

    def whom_to_ask(self) -> str:
        return (
            "I can't find you in the SMB app's team directory (I look you up by the email "
            "address of your Slack profile). Ask a Site Manager of your company to add you "
            "with that address, or ask support."
        )

    def actor(self, client: WebClient, user_id: str) -> str:
        """The directory email of the Slack user acting; NotInDirectory says whom to ask."""
        email = self.people.email_of(client, user_id)
        if email is None:
            raise NotInDirectory(self.whom_to_ask())
        try:
            self.domain.identify(email, slack_user_id=user_id)
        except UnknownActor:
            raise NotInDirectory(self.whom_to_ask()) from None
        return email

    def email_of_choice(self, actor: str, value: str) -> str:
        """The email a menu or picker value names: a `UserCard.ref`, or an email (older menus)."""
        return value if "@" in value else self.domain.user_by_ref(actor, value).email

    def target_email(self, client: WebClient, ref: UserRef) -> str:
        """The directory email of a user named in a command."""
        if ref.email:
            return ref.email
        if not ref.slack_user_id:
            raise FormInvalid  # only a forged form names nobody
        email = self.people.email_of(client, ref.slack_user_id)
        if email is None:
            raise NoSlackEmail(
                "I can't see an email address for that person in Slack, so I can't find them "
                "in the team directory. Use their email address instead."
            )
        return email

    def check_form(
        self,
        client: WebClient,
        context: dict[str, Any],
        user_id: str,
        action: str,
        target_email: str | None,
    ) -> None:
        """Before a form or confirmation opens: raise the refusal its submission would meet."""
        actor = self.actor(client, user_id)
        if target_email:
            context[TARGET_KEY] = target_email  # the primary-contact refusal's button needs it
        self.domain.check_may_open(actor, action, target_email)

    def tell_target(
        self, client: WebClient, outcome: ActionResult, slack_user_id: str | None = None
    ) -> None:
        """DM the user an action concerned (not again for a replay), if they are in Slack.

        Never raises: the action is done, and a failed message must not look like it was not.
        """
        target = outcome.target
        if not outcome.target_message or outcome.replayed:
            return
        try:
            user_id = (
                target.slack_user_id
                or slack_user_id
                or self.people.slack_id_of(client, target.email)
            )
            if user_id:
                client.chat_postMessage(channel=user_id, text=escape(outcome.target_message))
        except Exception:
            log.warning("could not tell %s in Slack", target.email, exc_info=True)


def just_ack(ack):
    """Acknowledge at once; the work happens in the lazy listener."""
    ack()


def body_type(body: dict[str, Any]) -> str:
    """event_callback, block_actions, view_submission, message_action, command…"""
    if "command" in body and "type" not in body:
        return "command"
    return str(body.get("type", ""))


def user_id_of(body: dict[str, Any]) -> str | None:
    """Who made the request, across payload kinds."""
    if "user_id" in body:
        return body["user_id"]
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    event = body.get("event") or {}
    return event.get("user") if isinstance(event, dict) else None


def reply_privately(
    body: dict[str, Any],
    client: WebClient,
    context: dict[str, Any],
    respond: Any,
    payload: dict[str, Any],
) -> None:
    """Show a message only to the person who made the request, wherever they made it."""
    user = user_id_of(body)
    if body.get("response_url") and respond is not None:
        sent = respond(**payload, response_type="ephemeral", replace_original=False)
        if getattr(sent, "status_code", 200) >= 300:
            log.warning("response_url refused the reply: HTTP %s", sent.status_code)
        return
    channel = context.get(REPLY_CHANNEL_KEY)
    thread_ts = None
    event = body.get("event")
    if channel is None and isinstance(event, dict):
        channel = event.get("channel")
        thread_ts = event.get("thread_ts") or event.get("ts")
        if event.get("channel_type") == "im":
            client.chat_postMessage(channel=channel, thread_ts=event.get("thread_ts"), **payload)
            return
    if channel is None and isinstance(body.get("channel"), dict):
        channel = body["channel"].get("id")
    if channel and user:
        try:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **payload)
            return
        except SlackApiError:
            log.info("ephemeral reply failed in %s; sending a DM instead", channel)
    if user:
        client.chat_postMessage(channel=user, **payload)


def confirm_done(
    services: SlackServices,
    body: dict[str, Any],
    client: WebClient,
    context: dict[str, Any],
    respond: Any,
    outcome: ActionResult,
    target_slack_id: str | None = None,
) -> None:
    """Confirm a done action to whoever asked, then tell the user it concerned; never raises.

    The action is done: a reply that fails is only logged, because "please try again" would
    repeat it, and the person concerned is told whatever happened to the confirmation.
    """
    try:
        reply_privately(body, client, context, respond, result(outcome))
    except Exception:
        log.warning("could not confirm a done action to %s", user_id_of(body), exc_info=True)
    services.tell_target(client, outcome, target_slack_id)


def idempotency_key(body: dict[str, Any]) -> str:
    """A key naming this one request, the same if Slack delivers it twice."""
    kind = body_type(body)
    if kind == "view_submission":
        view = body.get("view") or {}
        return f"slack:view:{view.get('id')}"
    if kind == "block_actions":
        action = (body.get("actions") or [{}])[0]
        return f"slack:action:{user_id_of(body)}:{action.get('action_ts')}"
    if kind == "command":
        return f"slack:command:{body.get('trigger_id')}"
    if kind == "event_callback":
        return f"slack:event:{body.get('event_id')}"
    return f"slack:{kind}:{body.get('trigger_id') or body.get('action_ts')}"


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """A modal's private_metadata, decoded (an empty dict when absent or not ours)."""
    try:
        value = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


_LAZY_ARGS = (
    "body",
    "client",
    "context",
    "respond",
    "say",
    "logger",
    "event",
    "command",
    "action",
    "view",
    "shortcut",
    "payload",
)


def lazy(services: SlackServices, function: Callable[..., None]) -> Callable[..., None]:
    """Wrap a lazy listener so that its errors reach `handlers.errors` like any other.

    Bolt only logs a lazy listener's exception in one line; this keeps the traceback and
    tells the person what happened. Bolt injects arguments by name, hence the fixed signature.
    """
    from handlers.errors import report  # errors imports this module

    wanted = inspect.getfullargspec(function).args

    def run(
        body, client, context, respond, say, logger, event, command, action, view, shortcut, payload
    ):
        kwargs = {
            "body": body,
            "client": client,
            "context": context,
            "respond": respond,
            "say": say,
            "logger": logger,
            "event": event,
            "command": command,
            "action": action,
            "view": view,
            "shortcut": shortcut,
            "payload": payload,
        }
        if context.get(ANSWERED_KEY):
            return
        try:
            function(**{name: kwargs[name] for name in wanted})
        except Exception as error:
            report(
                error,
                body=body,
                client=client,
                context=context,
                respond=respond,
                logger=logger,
                services=services,
            )

    assert tuple(inspect.getfullargspec(run).args) == _LAZY_ARGS
    run.__name__ = function.__name__
    run.__qualname__ = function.__qualname__
    run.__doc__ = function.__doc__
    return run
