"""App Home, link unfurling, the message shortcut, the search modal and the user picker."""

from __future__ import annotations

import json

from handlers import ids
from tests.e2e.helpers import action_ids, blocks, find_element, text_of, view
from tests.slack_fakes import block_action, block_suggestion, message_shortcut, view_submission


def home_event(user: str) -> dict:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": "1700000009.000001",
    }


def test_home_for_a_manager_has_quick_actions_and_recent_audit(server):
    server.domain.resend_invitation("maria@acme.test", "tom@acme.test")
    server.event(home_event("UMARIA"))
    [published] = server.slack.wait_for("views.publish")
    assert published.args["user_id"] == "UMARIA"
    home = view(published)
    assert home["type"] == "home"
    found = action_ids(home["blocks"])
    assert ids.HOME_SEARCH in found
    assert ids.ACTION_REINVITE in found
    assert ids.HOME_TEAM in found
    assert "tom@acme.test" in json.dumps(home["blocks"])  # the audit event
    assert "User Management" in json.dumps(home["blocks"])  # topics by category


def test_home_for_a_technician_has_topics_only(server):
    server.event(home_event("UTOM"))
    home = view(server.slack.wait_for("views.publish")[0])
    found = action_ids(home["blocks"])
    assert ids.HOME_SEARCH in found
    assert ids.ACTION_REINVITE not in found
    assert any(a.startswith(ids.SHOW_ENTRY) for a in found)


def test_home_for_an_unknown_person_says_whom_to_ask(server):
    server.event(home_event("USTRANGER"))
    home = view(server.slack.wait_for("views.publish")[0])
    assert "Site Manager" in json.dumps(home["blocks"])


def test_home_search_button_opens_the_search_modal_and_searching_answers(server):
    click = block_action(
        "UTOM",
        {"action_id": ids.HOME_SEARCH, "value": "search", "type": "button"},
        response_url=None,
        container={"type": "view", "view_id": "VHOME"},
        channel=None,
    )
    server.interact(click)
    modal = view(server.slack.wait_for("views.open")[0])
    assert modal["callback_id"] == ids.SEARCH_MODAL
    values = {
        ids.SEARCH_BLOCK: {
            ids.SEARCH_ACTION: {"type": "plain_text_input", "value": "I forgot my password"}
        }
    }
    reply = server.interact(view_submission("UTOM", modal, values))
    body = reply.json()
    assert body["response_action"] == "update"
    assert "Forgot your password" in json.dumps(body["view"])


def test_home_show_opens_the_entry_in_a_modal(server):
    click = block_action(
        "UTOM",
        {
            "action_id": ids.indexed(ids.SHOW_ENTRY, 2),
            "value": "web-app-invitation",
            "type": "button",
        },
        response_url=None,
        container={"type": "view", "view_id": "VHOME"},
        channel=None,
        view={"type": "home", "id": "VHOME"},
    )
    server.interact(click)
    modal = view(server.slack.wait_for("views.open")[0])
    assert "web application" in json.dumps(modal)


def test_home_my_team_posts_the_team_in_a_dm(server):
    click = block_action(
        "UMARIA",
        {"action_id": ids.HOME_TEAM, "value": "home", "type": "button"},
        response_url=None,
        container={"type": "view", "view_id": "VHOME"},
        channel=None,
    )
    server.interact(click)
    [post] = server.slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "UMARIA"
    assert "Tom Tech" in text_of(post)


def test_home_quick_action_uses_the_user_picker(server):
    click = block_action(
        "UMARIA",
        {"action_id": ids.ACTION_REINVITE, "value": "home", "type": "button"},
        response_url=None,
        container={"type": "view", "view_id": "VHOME"},
        channel=None,
    )
    server.interact(click)
    modal = view(server.slack.wait_for("views.open")[0])
    assert ids.USER_PICK_ACTION in action_ids(modal["blocks"])
    # Slack asks for options as the manager types.
    reply = server.interact(block_suggestion("UMARIA", ids.USER_PICK_ACTION, "to", modal))
    options = reply.json()["options"]
    assert [o["text"]["text"] for o in options] == ["Tom Tech (tom@acme.test)"]
    # Submitting without a choice keeps the modal open with a message.
    reply = server.interact(view_submission("UMARIA", modal, {}))
    assert reply.json()["response_action"] == "errors"
    values = {
        ids.USER_PICK_BLOCK: {ids.USER_PICK_ACTION: {"selected_option": options[0]}},
        ids.INVITE_KIND_BLOCK: {ids.INVITE_KIND_ACTION: {"selected_option": {"value": "mobile"}}},
    }
    server.interact(view_submission("UMARIA", modal, values))
    # From App Home there is no channel: the confirmation is a DM.
    [done] = server.slack.wait_for(
        "chat.postMessage", where=lambda c: c.args["channel"] == "UMARIA"
    )
    assert "new mobile invitation to Tom Tech" in text_of(done)


def test_user_picker_for_a_non_manager_is_empty(server):
    reply = server.interact(block_suggestion("UTOM", ids.USER_PICK_ACTION, "", {"type": "modal"}))
    assert reply.json() == {"options": []}


def test_link_shared_unfurls_the_answer_card(server):
    event = {
        "type": "link_shared",
        "channel": "C0GENERAL",
        "is_bot_user_member": True,
        "user": "UTOM",
        "message_ts": "1700000010.000100",
        "unfurl_id": "C0GENERAL.1700000010.000100.abc",
        "source": "conversations_history",
        "links": [
            {"domain": "help.example.com", "url": "https://help.example.com/faq/forgot-password"},
            {"domain": "help.example.com", "url": "https://help.example.com/faq/nope"},
            {"domain": "help.example.com", "url": "https://help.example.com/other"},
        ],
        "event_ts": "1700000010.000200",
    }
    server.event(event)
    [unfurl] = server.slack.wait_for("chat.unfurl")
    assert unfurl.args["unfurl_id"] == event["unfurl_id"]
    assert unfurl.args["source"] == "conversations_history"
    unfurls = unfurl.args["unfurls"]
    unfurls = json.loads(unfurls) if isinstance(unfurls, str) else unfurls
    assert list(unfurls) == ["https://help.example.com/faq/forgot-password"]
    assert "Forgot your password" in json.dumps(unfurls)


def test_message_shortcut_offers_top_matches_and_posts_in_the_thread(server):
    message = {
        "type": "message",
        "user": "UTOM",
        "ts": "1700000011.000100",
        "text": "my invite expired, can someone resend it?",
    }
    payload = message_shortcut(
        "UMARIA", ids.ANSWER_WITH_HELPBOT, message, "C0SUPPORTQ", server.slack.response_url()
    )
    assert server.interact(payload).status == 200
    modal = view(server.slack.wait_for("views.open")[0])
    assert modal["callback_id"] == ids.PICK_ANSWER_MODAL
    pick = next(b for b in modal["blocks"] if b.get("block_id") == ids.PICK_BLOCK)
    options = pick["element"]["options"]
    assert options[0]["value"] == "resend-invitation"
    values = {
        ids.PICK_BLOCK: {ids.PICK_ACTION: {"selected_option": {"value": options[0]["value"]}}}
    }
    assert server.interact(view_submission("UMARIA", modal, values)).status == 200
    [post] = server.slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "C0SUPPORTQ"
    assert post.args["thread_ts"] == "1700000011.000100"
    assert "send a new invitation" in text_of(post).lower()
    assert ids.FEEDBACK_HELPFUL in action_ids(blocks(post))


def test_message_shortcut_echoes_the_message_escaped(server):
    message = {
        "type": "message",
        "user": "UTOM",
        "ts": "1700000011.000200",
        "text": "<!here> &lt;b&gt;hi&lt;/b&gt; &amp; bye",  # as Slack sends "<b>hi</b> & bye"
    }
    server.interact(
        message_shortcut(
            "UMARIA", ids.ANSWER_WITH_HELPBOT, message, "C1", server.slack.response_url()
        )
    )
    modal = view(server.slack.wait_for("views.open")[0])
    shown = json.dumps(modal["blocks"], ensure_ascii=False)
    assert "<!here>" not in shown
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; bye" in shown


def test_answer_card_action_button_opens_modal_from_a_dm(server):
    server.event(
        {
            "type": "message",
            "channel": "D0DM",
            "user": "UMARIA",
            "channel_type": "im",
            "text": "resend an invitation",
            "ts": "1700000012.000100",
        }
    )
    [post] = server.slack.wait_for("chat.postMessage")
    button = find_element(blocks(post), ids.ACTION_REINVITE)
    server.interact(
        block_action(
            "UMARIA", {**button, "type": "button"}, response_url=server.slack.response_url()
        )
    )
    modal = view(server.slack.wait_for("views.open")[0])
    assert modal["callback_id"] == ids.REINVITE_MODAL


def test_a_topic_shown_from_inside_a_modal_is_pushed_on_top(server):
    click = block_action(
        "UTOM",
        {
            "action_id": ids.indexed(ids.SHOW_ENTRY, 0),
            "value": "resend-invitation",
            "type": "button",
        },
        response_url=None,
        container={"type": "view", "view_id": "VSEARCH"},
        channel=None,
        view={"type": "modal", "id": "VSEARCH", "callback_id": ids.SEARCH_MODAL},
    )
    server.interact(click)
    pushed = view(server.slack.wait_for("views.push")[0])
    assert "/faq/resend-invitation" in json.dumps(pushed)


def test_search_modal_without_text_keeps_the_form_open(server):
    modal = {"type": "modal", "callback_id": ids.SEARCH_MODAL, "blocks": []}
    values = {ids.SEARCH_BLOCK: {ids.SEARCH_ACTION: {"type": "plain_text_input", "value": " "}}}
    reply = server.interact(view_submission("UTOM", modal, values))
    assert reply.json()["response_action"] == "errors"
