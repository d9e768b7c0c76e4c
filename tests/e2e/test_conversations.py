"""Direct messages, mentions, help channels: answer cards, choices, fallback, small talk."""

from __future__ import annotations

import json

import pytest

from faq import Outcome
from handlers import ids
from tests.e2e.conftest import HELP_CHANNEL, SUPPORT
from tests.e2e.helpers import action_ids, blocks, find_element, text_of
from tests.slack_fakes import block_action, channel_message, dm_event, mention_event


def test_answer_card_has_title_answer_link_and_feedback(server):
    server.event(dm_event("UTOM", "I forgot my password", ts="1700000000.000100"))
    [post] = server.slack.wait_for("chat.postMessage")
    payload = blocks(post)
    text = text_of(post)
    assert "What happens if I forget my password" in text
    assert "Forgot your password" in text
    assert "https://help.example.com/faq/forgot-password" in text
    assert ids.FEEDBACK_HELPFUL in action_ids(payload)
    assert ids.FEEDBACK_NOT_HELPFUL in action_ids(payload)
    assert post.args.get("thread_ts") is None  # a DM is answered in the conversation


def test_reset_button_is_offered_to_a_known_asker_only(server):
    server.event(dm_event("UTOM", "I forgot my password"))
    [known] = server.slack.wait_for("chat.postMessage")
    assert ids.ACTION_RESET_PASSWORD in action_ids(blocks(known))
    server.slack.reset()
    server.event(dm_event("USTRANGER", "I forgot my password"))
    [stranger] = server.slack.wait_for("chat.postMessage")
    assert ids.ACTION_RESET_PASSWORD not in action_ids(blocks(stranger))


def test_reinvite_button_only_for_managers(server):
    server.event(dm_event("UMARIA", "resend an invitation"))
    [manager] = server.slack.wait_for("chat.postMessage")
    assert ids.ACTION_REINVITE in action_ids(blocks(manager))
    server.slack.reset()
    server.event(dm_event("UTOM", "resend an invitation"))
    [technician] = server.slack.wait_for("chat.postMessage")
    assert ids.ACTION_REINVITE not in action_ids(blocks(technician))


def test_primary_contact_answer_offers_change_role_to_managers(server):
    server.event(
        dm_event("UMARIA", "I can't delete a technician because they are the primary contact")
    )
    [post] = server.slack.wait_for("chat.postMessage")
    button = find_element(blocks(post), ids.ACTION_SET_ROLE)
    assert button["text"]["text"] == "Change role to Install Technician…"


def test_reset_button_sends_the_reset_email(server):
    payload = block_action(
        "UTOM",
        {"action_id": ids.ACTION_RESET_PASSWORD, "value": "forgot-password", "type": "button"},
        response_url=server.slack.response_url("reset"),
    )
    assert server.interact(payload).status == 200
    [reply] = server.slack.wait_for("response/reset")
    assert "reset link" in reply.args["text"]
    assert reply.args["response_type"] == "ephemeral"
    assert server.probe.emails("tom@acme.test") == ["Reset your SMB app password"]


def test_clarify_offers_buttons_and_a_pick_shows_the_answer(server, faq_store):
    question = "phone"
    match = faq_store.matcher.match(question)
    assert match.outcome is Outcome.CLARIFY, "pick another ambiguous question for this test"
    server.event(dm_event("UTOM", question))
    [post] = server.slack.wait_for("chat.postMessage")
    picks = [a for a in action_ids(blocks(post)) if a.startswith(ids.CLARIFY_PICK)]
    assert len(picks) == len(match.choices) >= 2
    chosen = find_element(blocks(post), picks[1])
    click = block_action(
        "UTOM",
        {**chosen, "action_id": picks[1], "type": "button"},
        response_url=server.slack.response_url("pick"),
    )
    server.interact(click)
    [replaced] = server.slack.wait_for("response/pick")
    assert replaced.args["replace_original"] is True
    assert match.choices[1].entry.question in text_of(replaced)


def test_fallback_offers_ask_a_human_which_posts_to_support(server):
    server.event(
        dm_event(
            "UTOM", "What is the weather in <!channel> Paris & <@UMARIA>?", ts="1700000000.000200"
        )
    )
    [post] = server.slack.wait_for("chat.postMessage")
    assert "don't know" in text_of(post)
    assert "👉" not in text_of(post)  # no out-of-scope topic of the KB: nowhere to point to
    button = find_element(blocks(post), ids.ASK_HUMAN)
    click = block_action(
        "UTOM",
        {**button, "type": "button"},
        response_url=server.slack.response_url("human"),
        channel="D0DM",
    )
    server.interact(click)
    [support] = server.slack.wait_for("chat.postMessage", 2)[1:]
    assert support.args["channel"] == SUPPORT
    text = text_of(support)
    assert "<@UTOM>" in text  # who asked
    assert "https://test.slack.com/archives/D0DM/p1700000000000200" in text  # the permalink
    assert "<!channel>" not in text
    assert "<@UMARIA>" not in text
    assert "Paris &amp;" in text
    [permalink] = server.slack.of("chat.getPermalink")
    assert (permalink.args["channel"], permalink.args["message_ts"]) == (
        "D0DM",
        "1700000000.000200",
    )
    [done] = server.slack.wait_for("response/human")
    assert "support team" in done.args["text"]
    # Pressing it again does not post the question twice.
    server.interact(click)
    server.slack.wait_for("response/human", 2)
    assert len(server.slack.of("chat.postMessage")) == 2
    # A question on one of the KB's out-of-scope topics also says where to go instead.
    server.event(dm_event("UTOM", "how do I reset my VPN password", ts="1700000000.000300"))
    [pointed] = server.slack.wait_for("chat.postMessage", 3)[2:]
    assert "don't know" in text_of(pointed)
    assert "👉 For your computer, email, VPN, Wi-Fi or Slack, please ask IT." in text_of(pointed)
    assert "please ask IT" in pointed.args["text"]  # the notification says it too
    assert find_element(blocks(pointed), ids.ASK_HUMAN)


def test_smalltalk_gets_a_short_reply(server):
    server.event(dm_event("UTOM", "hello"))
    [post] = server.slack.wait_for("chat.postMessage")
    assert post.args["text"].startswith("Hi!")


def test_mention_is_answered_in_its_thread(server):
    event = mention_event("UTOM", "how do I reset my password", channel="C0GENERAL")
    server.event(event)
    [post] = server.slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "C0GENERAL"
    assert post.args["thread_ts"] == event["ts"]
    assert "forgot-password" in text_of(post)


def test_help_channel_answers_top_level_questions_in_a_thread_when_confident(server):
    confident = channel_message("UTOM", "I forgot my password", HELP_CHANNEL)
    server.event(confident)
    [post] = server.slack.wait_for("chat.postMessage")
    assert post.args["thread_ts"] == confident["ts"]
    server.slack.reset()
    server.event(channel_message("UTOM", "what is the weather in Paris", HELP_CHANNEL))
    server.event(channel_message("UTOM", "hello", HELP_CHANNEL))
    server.event(channel_message("UTOM", "I forgot my password", HELP_CHANNEL, thread_ts="1.2"))
    server.event(channel_message("UTOM", "I forgot my password", "C0OTHER"))
    server.idle()
    assert server.slack.of("chat.postMessage") == []


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "BOTHER", "subtype": "bot_message"},
        {"bot_id": "BOTHER"},
        {"subtype": "message_changed"},
        {"user": "UHELPBOT"},
    ],
)
def test_never_answers_bots_or_itself(server, extra):
    user = extra.pop("user", "UTOM")
    server.event(dm_event(user, "I forgot my password", **extra))
    server.event(channel_message(user, "I forgot my password", HELP_CHANNEL, **extra))
    server.idle()
    assert server.slack.of("chat.postMessage") == []


def test_a_mention_in_a_help_channel_is_answered_once(server):
    mention = mention_event("UTOM", "I forgot my password", channel=HELP_CHANNEL)
    as_message = {**mention, "type": "message", "channel_type": "channel"}
    server.event(mention)
    server.event(as_message)
    server.slack.wait_for("chat.postMessage")
    server.idle()
    assert len(server.slack.of("chat.postMessage")) == 1


def test_feedback_is_stored_one_vote_per_person_per_answer(server):
    def vote(user, action_id):
        payload = block_action(
            user,
            {"action_id": action_id, "value": "forgot-password", "type": "button"},
            response_url=server.slack.response_url(f"vote-{user}"),
        )
        assert server.interact(payload).status == 200

    vote("UTOM", ids.FEEDBACK_HELPFUL)
    server.slack.wait_for("response/vote-UTOM")
    vote("UTOM", ids.FEEDBACK_NOT_HELPFUL)
    server.slack.wait_for("response/vote-UTOM", 2)
    vote("UPAT", ids.FEEDBACK_HELPFUL)
    server.slack.wait_for("response/vote-UPAT")
    assert server.probe.feedback() == {
        ("slack:UTOM", "forgot-password"): False,
        ("slack:UPAT", "forgot-password"): True,
    }
    thanks = server.slack.of("response/vote-UTOM")[0]
    assert thanks.args["response_type"] == "ephemeral"


def test_feedback_for_an_unknown_entry_changes_nothing(server):
    payload = block_action(
        "UTOM",
        {"action_id": ids.FEEDBACK_HELPFUL, "value": "no-such-entry", "type": "button"},
        response_url=server.slack.response_url(),
    )
    assert server.interact(payload).status == 200
    server.idle()
    assert server.probe.feedback() == {}


def test_ask_a_human_value_is_what_the_button_carries(server):
    server.event(dm_event("UTOM", "zzz qqq unknown things", ts="1700000000.000300"))
    [post] = server.slack.wait_for("chat.postMessage")
    value = json.loads(find_element(blocks(post), ids.ASK_HUMAN)["value"])
    assert value == {"c": "D0DM", "ts": "1700000000.000300", "q": "zzz qqq unknown things"}
