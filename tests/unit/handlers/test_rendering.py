"""Block Kit payloads: shapes, limits, buttons, escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from faq import Outcome
from handlers import ids
from handlers.commands import specs
from handlers.domain import ActionResult, AuditEntry, Capabilities, TeamPage, UserCard
from handlers.render import admin, answers, home
from handlers.render.kit import text_length


def url(entry_id: str) -> str:
    return f"https://help.test/faq/{entry_id}"


def all_elements(blocks):
    for block in blocks:
        yield from block.get("elements", [])
        if "accessory" in block:
            yield block["accessory"]
        if "element" in block:
            yield block["element"]


def check_limits(payload):
    """The Block Kit limits Slack enforces (a message with a broken block is refused)."""
    blocks = payload["blocks"]
    assert len(blocks) <= 100
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        assert len(text) <= 3000
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
    action_ids = [e["action_id"] for e in all_elements(blocks) if "action_id" in e]
    assert len(action_ids) == len(set(action_ids)), "action_ids must be unique in a message"
    for element in all_elements(blocks):
        if element.get("type") == "button":
            assert len(element["text"]["text"]) <= 75
            assert len(element.get("value", "")) <= 2000


def test_answer_card(knowledge_base):
    entry = knowledge_base.get("forgot-password")
    card = answers.answer_card(entry, url(entry.id), allowed_actions={"reset_password"})
    check_limits(card)
    dumped = json.dumps(card)
    assert entry.question in dumped
    assert url(entry.id) in dumped
    assert ids.ACTION_RESET_PASSWORD in dumped
    assert ids.FEEDBACK_HELPFUL in dumped
    assert card["text"].startswith(entry.question)  # notification fallback


def test_answer_card_offers_only_allowed_and_relevant_actions(knowledge_base):
    entry = knowledge_base.get("forgot-password")
    card = answers.answer_card(entry, url(entry.id), allowed_actions={"set_role"})
    assert ids.ACTION_SET_ROLE not in json.dumps(card)  # not this entry's action
    assert ids.ACTION_RESET_PASSWORD not in json.dumps(card)  # not allowed


def test_clarify_has_unique_buttons(knowledge_base):
    entries = list(knowledge_base)[:3]
    payload = answers.clarify(entries, "reinvite", "C1", "1.2")
    check_limits(payload)
    assert len(list(all_elements(payload["blocks"]))) == 4  # and "None of these — ask a human"


def test_fallback_carries_the_question_within_limits():
    payload = answers.fallback("x" * 5000, "C1", "1.2")
    check_limits(payload)
    raw = payload["blocks"][1]["elements"][0]["value"]
    value = json.loads(raw)
    assert value["c"] == "C1"
    assert len(raw) <= 2000
    assert value["cut"] == 1
    assert "x" * 1900 in value["q"]


def test_fallback_says_where_to_go_instead_escaped():
    payload = answers.fallback("vpn?", "C1", "1.2", pointer="Ask IT in <#it-help> & co")
    check_limits(payload)
    texts = [(b.get("text") or {}).get("text", "") for b in payload["blocks"]]
    assert "👉 Ask IT in &lt;#it-help&gt; &amp; co" in texts
    assert payload["text"].endswith("Ask IT in &lt;#it-help&gt; &amp; co")
    assert payload["blocks"][-1]["type"] == "actions"  # "Ask a human" is still offered
    plain = answers.fallback("vpn?", "C1", "1.2")
    assert [b["type"] for b in plain["blocks"]] == ["section", "actions"]
    assert "👉" not in json.dumps(plain)


def test_reply_to_an_out_of_scope_topic_carries_its_pointer(matcher, knowledge_base):
    match = matcher.match("how do I reset my VPN password")
    assert match.outcome is Outcome.FALLBACK
    pointers = {topic.pointer for topic in knowledge_base.out_of_scope}
    assert match.pointer in pointers
    payload = answers.reply(match, url, channel="C1", message_ts="1.1")
    assert match.pointer in payload["text"]
    assert any(match.pointer in (b.get("text") or {}).get("text", "") for b in payload["blocks"])


def test_reply_for_each_outcome(matcher):
    for text, outcome in [
        ("I forgot my password", Outcome.ANSWER),
        ("hello", Outcome.SMALLTALK),
        ("what is the weather in Paris", Outcome.FALLBACK),
    ]:
        match = matcher.match(text)
        assert match.outcome is outcome
        payload = answers.reply(match, url, channel="C1", message_ts="1.1")
        assert payload["text"]
        if "blocks" in payload:
            check_limits(payload)


def test_topics_list_every_entry(knowledge_base):
    payload = answers.topics(knowledge_base)
    check_limits(payload)
    assert len(list(all_elements(payload["blocks"]))) == len(knowledge_base)


def test_support_post_escapes_the_question():
    payload = answers.support_post("<!channel> help & <@U1|x>", "U999", "https://p", None)
    dumped = json.dumps(payload)
    assert "<!channel>" not in dumped
    assert "<@U1" not in dumped
    assert "<@U999>" in dumped


def card(**changes) -> UserCard:
    values = {
        "email": "a@b.test",
        "name": "Ann <b>",
        "phone": "+1",
        "role": "technician",
        "is_primary_contact": True,
        "status": "active",
        "account": "Acme & Co",
        "slack_user_id": None,
        "invitation": "mobile invitation pending",
        "ref": "7",
    }
    values.update(changes)
    return UserCard(**values)


def team_of(users, total=None, offset=0, query=""):
    return admin.team(
        TeamPage(tuple(users), len(users) if total is None else total, offset, query), "Acme & Co"
    )


def test_team_cards_escape_and_have_the_overflow_menu():
    payload = team_of([card(), card(email="c@d.test", status="deleted")])
    check_limits(payload)
    dumped = json.dumps(payload)
    assert "Ann &lt;b&gt;" in dumped
    assert "Acme &amp; Co" in dumped
    assert "Primary contact" in dumped
    menus = [e for e in all_elements(payload["blocks"]) if e.get("type") == "overflow"]
    assert len(menus) == 1  # deleted users have none
    assert [o["value"] for o in menus[0]["options"]] == [
        "invite:7",
        "set_role:7",
        "delete:7",
        "reset_password:7",
    ]


def pages_of(everyone: list[UserCard], query: str = ""):
    """Walk the Next buttons the way Slack would, slicing like the domain does."""
    offset, seen = 0, []
    for _ in range(len(everyone) + 1):
        users = everyone[offset : offset + admin.TEAM_PAGE_SIZE]
        payload = admin.team(TeamPage(tuple(users), len(everyone), offset, query), "Acme")
        seen.append(payload)
        buttons = [e for e in all_elements(payload["blocks"]) if e.get("type") == "button"]
        nexts = [b for b in buttons if b["action_id"] == ids.indexed(ids.TEAM_PAGE, 1)]
        if not nexts:
            return seen
        offset = json.loads(nexts[0]["value"])["o"]
    raise AssertionError("the Next buttons never end")


def emails_in(payload) -> list[str]:
    """The emails of the user cards (first line: *name* · email)."""
    cards = [b for b in payload["blocks"] if b["type"] == "section" and "accessory" in b]
    return [b["text"]["text"].splitlines()[0].rpartition(" · ")[2] for b in cards]


@pytest.mark.parametrize("people", [0, 1, 50, 51, 200])
def test_team_pages_state_the_true_count_and_reach_everyone(people):
    everyone = [card(email=f"u{n:03}@b.test", name=f"User {n:03}") for n in range(people)]
    pages = pages_of(everyone)
    shown = [email for payload in pages for email in emails_in(payload)]
    assert shown == [u.email for u in everyone]  # every user once, in order, none cut
    for payload in pages:
        check_limits(payload)
        assert len(payload["blocks"]) <= 50
        assert text_length(payload) <= 12_000 * 2 // 3  # well under msg_blocks_too_long
    first = json.dumps(pages[0], ensure_ascii=False)
    if people == 0:
        assert "no users" in pages[0]["text"]
        return
    assert f"{people} user{'s' if people > 1 else ''}" in pages[0]["text"]
    if people > admin.TEAM_PAGE_SIZE:
        assert f"showing 1–{admin.TEAM_PAGE_SIZE}" in first
        assert f"{people - admin.TEAM_PAGE_SIZE} more" in first
        assert "Next" in first
        last = json.dumps(pages[-1], ensure_ascii=False)
        assert "Previous" in last
        assert "more:" not in last
    else:
        assert "more" not in first
        assert "Next" not in first


def test_a_page_of_very_long_cards_is_shorter_but_never_cut():
    everyone = [
        card(email=f"{'e' * 300}{n:02}@b.test", name=f"{'N' * 195}{n:03}", invitation="x" * 200)
        for n in range(45)
    ]
    pages = pages_of(everyone)
    assert len(pages[0]["blocks"]) - 3 < admin.TEAM_PAGE_SIZE  # fewer cards fit
    assert [e for p in pages for e in emails_in(p)] == [u.email for u in everyone]
    for payload in pages:
        check_limits(payload)
        assert text_length(payload) <= 12_000 * 2 // 3


def test_a_page_button_carries_the_search():
    everyone = [card(email=f"u{n:03}@b.test") for n in range(30)]
    payload = admin.team(TeamPage(tuple(everyone[:20]), 30, 0, "tom <!here>"), "Acme")
    [button] = [e for e in all_elements(payload["blocks"]) if e.get("type") == "button"]
    assert json.loads(button["value"]) == {"q": "tom <!here>", "o": 20}
    assert "<!here>" not in json.dumps(payload["blocks"][0])


def test_empty_team():
    assert "No users match" in team_of([], query="zz")["text"]


def test_result_and_warning():
    result = ActionResult("set_role", card(), "Ann is now Install Technician.", warning="No PC!")
    payload = admin.result(result)
    assert "✅" in json.dumps(payload, ensure_ascii=False)
    assert "No PC!" in payload["text"]
    replayed = admin.result(ActionResult("x", card(), "done", replayed=True))
    assert "Already done" in json.dumps(replayed)


def test_primary_contact_refusal_button():
    payload = admin.primary_contact_refusal("Change role first.", "pat@acme.test")
    [button] = list(all_elements(payload["blocks"]))
    assert button["action_id"] == ids.ACTION_SET_ROLE
    assert button["value"] == "email:pat@acme.test"
    assert button["text"]["text"] == "Change role to Install Technician…"


@pytest.mark.parametrize("target", [None, "<@U1>"])
def test_modals_are_valid(target):
    for modal in (
        admin.reinvite_modal(target, {"target": None}),
        admin.set_role_modal(target, {}),
        admin.delete_modal(target, {}),
    ):
        assert modal["type"] == "modal"
        assert len(modal["title"]["text"]) <= 24
        assert len(modal["submit"]["text"]) <= 24
        assert len(modal["private_metadata"]) <= 3000
        has_picker = ids.USER_PICK_ACTION in json.dumps(modal)
        assert has_picker == (target is None)


def test_home_for_managers_and_others(knowledge_base):
    manager = Capabilities(True, "Acme", frozenset({"reinvite"}))
    audit = [
        AuditEntry(
            datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "m@a", "reinvite", "t@a", "ok", "sent <x>"
        )
    ]
    view = home.home(knowledge_base, manager, audit)
    dumped = json.dumps(view)
    assert view["type"] == "home"
    assert ids.HOME_TEAM in dumped
    assert "sent &lt;x&gt;" in dumped
    plain = home.home(knowledge_base, Capabilities(False, "Acme", frozenset()), [])
    assert ids.HOME_TEAM not in json.dumps(plain)
    assert ids.HOME_SEARCH in json.dumps(plain)


def test_help_is_generated_from_the_registry():
    payload = home.help_message(specs())
    for spec in specs():
        assert f"{spec.name} {spec.usage}" in payload["text"]
        assert spec.summary in payload["text"]
    assert "Site Managers" in json.dumps(payload)


def test_pick_answer_modal(knowledge_base):
    modal = home.pick_answer_modal(list(knowledge_base), {"c": "C1", "ts": "1.1"}, "<!here> hi")
    assert "<!here>" not in json.dumps(modal)
    assert modal["callback_id"] == ids.PICK_ANSWER_MODAL


def test_long_mrkdwn_is_split_between_entities_and_links():
    from handlers.render.text import chunks

    text = "x" * 2996 + "&amp;" + "y" * 10 + " <https://a.test|link> " + "&lt;" * 900
    pieces = chunks(text)
    assert "".join(pieces) == text
    assert all(len(p) <= 3000 for p in pieces)
    for piece in pieces:
        assert not piece.rstrip().endswith(("&", "&a", "&am", "&amp", "&l", "&lt"))
        assert piece.count("<") == piece.count(">")


def test_too_long_mrkdwn_is_cut_with_an_ellipsis_outside_entities():
    from handlers.render.kit import section

    text = section("x" * 2997 + "&amp;&amp;")["text"]["text"]
    assert len(text) <= 3000
    assert text.endswith("x…")
