"""The identity cache, idempotency keys, link parsing and the error replies."""

from __future__ import annotations

from handlers.domain import (
    DomainError,
    NotInDirectory,
    PrimaryContactCannotBeDeleted,
)
from handlers.errors import APOLOGY, describe, reply_for
from handlers.events.link_shared import entry_id_of
from handlers.kit import TARGET_KEY, People, idempotency_key, user_id_of


class FakeClient:
    """Just enough of WebClient: users.info from a dict, counting calls."""

    def __init__(self, people):
        self.people = people
        self.calls = 0

    def users_info(self, user):
        self.calls += 1
        return {"ok": True, "user": self.people[user]}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_people_cache_emails_with_a_ttl():
    client = FakeClient(
        {
            "U1": {"id": "U1", "profile": {"email": "A@B.test"}},
            "UB": {"id": "UB", "is_bot": True, "profile": {"email": "bot@b"}},
        }
    )
    clock = Clock()
    people = People(ttl=60, clock=clock)
    assert people.email_of(client, "U1") == "a@b.test"
    assert people.email_of(client, "U1") == "a@b.test"
    assert client.calls == 1
    clock.now = 61
    people.email_of(client, "U1")
    assert client.calls == 2
    assert people.email_of(client, "UB") is None  # bots are nobody


def test_people_cache_is_bounded():
    client = FakeClient({f"U{n}": {"profile": {"email": f"{n}@b.test"}} for n in range(10)})
    people = People(max_entries=3)
    for n in range(10):
        people.email_of(client, f"U{n}")
    assert len(people._emails) == 3


def test_idempotency_keys_name_one_request():
    assert idempotency_key({"type": "view_submission", "view": {"id": "V1"}}) == "slack:view:V1"
    action = {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_ts": "9.9"}]}
    assert idempotency_key(action) == "slack:action:U1:9.9"
    assert idempotency_key({"command": "/x", "trigger_id": "t1"}) == "slack:command:t1"
    assert idempotency_key({"type": "event_callback", "event_id": "E1"}) == "slack:event:E1"


def test_user_id_of_every_payload_kind():
    assert user_id_of({"user_id": "U1", "command": "/x"}) == "U1"
    assert user_id_of({"user": {"id": "U2"}}) == "U2"
    assert user_id_of({"event": {"user": "U3"}}) == "U3"


def test_entry_id_of_links():
    base = "https://help.example.com"
    assert entry_id_of("https://help.example.com/faq/forgot-password", base) == "forgot-password"
    assert entry_id_of("https://HELP.example.com/faq/x/?a=1#b", base) == "x"
    assert entry_id_of("https://help.example.com/faq/", base) is None
    assert entry_id_of("https://evil.example.com/faq/x", base) is None
    assert entry_id_of("https://a.test/help/faq/x", "https://a.test/help") == "x"


def test_error_replies():
    assert APOLOGY in reply_for(RuntimeError("secret"), {})["text"]
    assert "secret" not in str(reply_for(RuntimeError("secret"), {}))
    assert reply_for(DomainError("Nope <b>"), {})["blocks"][0]["text"]["text"].endswith(
        "Nope &lt;b&gt;"
    )
    refusal = reply_for(PrimaryContactCannotBeDeleted("p@a.test", "Pat"), {})
    assert "email:p@a.test" in str(refusal)
    from_context = reply_for(DomainError("PC"), {TARGET_KEY: "x@a.test"})
    assert "email:" not in str(from_context)
    unknown = reply_for(NotInDirectory("who?"), {}, "C0SUP")
    assert "<#C0SUP>" in str(unknown)


def test_describe_never_includes_text():
    body = {"command": "/reinvite", "text": "secret@x.test", "trigger_id": "t"}
    assert describe(body) == "command /reinvite"
