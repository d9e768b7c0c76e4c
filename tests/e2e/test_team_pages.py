"""/team and App Home "My Team" for big accounts: true counts, pages within Slack's limits."""

from __future__ import annotations

import json

import pytest

from bot.domain.model import Role
from handlers import ids
from handlers.render.kit import text_length
from tests import domain_support
from tests.e2e.helpers import blocks, text_of
from tests.slack_fakes import block_action

BOSS = "boss@big.test"


@pytest.fixture
def big(server, database):
    """An account 'Big' whose Site Manager is Slack user UBOSS; returns a function adding N."""
    server.slack.add_person("UBOSS", BOSS, name="Bea")

    def add(workers: int) -> list[str]:
        emails = [f"w{n:03}@big.test" for n in range(workers)]
        rows = [("Big", "Bea Boss", BOSS, None, Role.SITE_MANAGER, False, True)]
        rows += [
            ("Big", f"Worker {n:03}", email, None, Role.TECHNICIAN, False, True)
            for n, email in enumerate(emails)
        ]
        domain_support.build_directory(database.session_factory, domain_support.START, tuple(rows))
        return emails

    return add


def emails_on(call) -> list[str]:
    cards = [b for b in blocks(call) if b["type"] == "section" and "accessory" in b]
    return [b["text"]["text"].splitlines()[0].rpartition(" · ")[2] for b in cards]


def next_button(call):
    for block in blocks(call):
        for element in block.get("elements", []):
            if element.get("action_id") == ids.indexed(ids.TEAM_PAGE, 1):
                return element
    return None


def within_limits(call) -> None:
    payload = {"text": call.args.get("text"), "blocks": blocks(call)}
    assert len(payload["blocks"]) <= 50
    assert all(len((b.get("text") or {}).get("text", "")) <= 3000 for b in payload["blocks"])
    assert text_length(payload) <= 8000  # well under msg_blocks_too_long (~12,000)


@pytest.mark.parametrize("workers", [0, 1, 50, 51, 200])
def test_team_counts_are_true_and_next_reaches_everyone(server, big, workers):
    emails = big(workers)
    server.command("/team", "worker", "UBOSS")
    [reply] = server.slack.wait_for("response/r1")
    within_limits(reply)
    if workers == 0:
        assert "No users match that search." in text_of(reply)
        return
    plural = "s" if workers > 1 else ""
    assert reply.args["text"].startswith(f"{workers} user{plural} in Big")
    seen = emails_on(reply)
    for page in range(2, workers + 2):
        button = next_button(reply)
        if button is None:
            break
        remaining = workers - len(seen)
        assert f"{remaining} more" in text_of(reply)
        click = block_action(
            "UBOSS",
            {"type": "button", "action_id": button["action_id"], "value": button["value"]},
            response_url=server.slack.response_url(f"page{page}"),
            channel="C0GENERAL",
        )
        assert server.interact(click).status == 200
        [reply] = server.slack.wait_for(f"response/page{page}")
        assert reply.args["replace_original"] in (True, "true")
        within_limits(reply)
        assert reply.args["text"].startswith(f"{workers} users in Big")
        seen += emails_on(reply)
    assert seen == emails
    assert "more:" not in text_of(reply)


def test_home_my_team_for_61_people_is_a_page_with_the_true_count(server, big):
    big(60)  # with the Site Manager: the 61 people
    click = block_action(
        "UBOSS",
        {"action_id": ids.HOME_TEAM, "value": "home", "type": "button"},
        response_url=None,
        container={"type": "view", "view_id": "VHOME"},
        channel=None,
    )
    server.interact(click)
    [post] = server.slack.wait_for("chat.postMessage")
    within_limits(post)
    text = text_of(post)
    assert post.args["text"] == "61 users in Big, showing 1–20"
    assert "41 more" in text
    assert "50 users" not in text
    assert json.loads(next_button(post)["value"]) == {"q": "", "o": 20}
    button = next_button(post)
    click = block_action(
        "UBOSS",
        {"type": "button", "action_id": button["action_id"], "value": button["value"]},
        response_url=None,
        container={"type": "message", "message_ts": "1700000009.000100", "channel_id": "DBOSS"},
        channel="DBOSS",
    )
    server.interact(click)
    [update] = server.slack.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == ("DBOSS", "1700000009.000100")
    assert update.args["text"] == "61 users in Big, showing 21–40"
