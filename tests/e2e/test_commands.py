"""Slash commands, their modals and buttons, against the fake Slack and the real domain."""

from __future__ import annotations

import json

from handlers import ids
from tests.e2e.conftest import PAT, TOM
from tests.e2e.helpers import action_ids, blocks, find_element, text_of, view
from tests.slack_fakes import block_action, view_submission


def submit(server, user: str, opened_view: dict, values: dict):
    reply = server.interact(view_submission(user, opened_view, values))
    assert reply.status == 200
    return reply


def test_faq_without_text_lists_the_topics(server):
    assert server.command("/faq", "", "UTOM").status == 200
    [reply] = server.slack.wait_for("response/r1")
    assert reply.args["response_type"] == "ephemeral"
    shows = [a for a in action_ids(blocks(reply)) if a.startswith(ids.SHOW_ENTRY)]
    assert len(shows) == 5
    assert "User Management" in text_of(reply)


def test_faq_with_an_id_shows_that_entry_with_share(server):
    server.command("/faq", "web-app-invitation", "UTOM")
    [reply] = server.slack.wait_for("response/r1")
    assert "How do I invite a new user to the web application?" in text_of(reply)
    assert ids.SHARE_ANSWER in action_ids(blocks(reply))
    assert reply.args["response_type"] == "ephemeral"


def test_faq_question_then_share_in_channel(server):
    server.command("/faq", "I forgot my password", "UTOM")
    [reply] = server.slack.wait_for("response/r1")
    share = find_element(blocks(reply), ids.SHARE_ANSWER)
    click = block_action(
        "UTOM",
        {**share, "type": "button"},
        response_url=server.slack.response_url("share"),
        container={"type": "message", "message_ts": "1.1", "is_ephemeral": True},
        channel="C0GENERAL",
    )
    server.interact(click)
    posted, deleted = server.slack.wait_for("response/share", 2)
    assert posted.args["response_type"] == "in_channel"
    assert "Forgot your password" in text_of(posted)
    assert ids.ACTION_RESET_PASSWORD not in action_ids(blocks(posted))  # actions are personal
    assert deleted.args["delete_original"] is True


def test_show_button_in_the_topic_list(server):
    server.command("/faq", "", "UTOM")
    [reply] = server.slack.wait_for("response/r1")
    first = find_element(blocks(reply), ids.indexed(ids.SHOW_ENTRY, 0))
    click = block_action(
        "UTOM",
        {**first, "type": "button"},
        response_url=server.slack.response_url("show"),
        container={"type": "message", "message_ts": "1.1", "is_ephemeral": True},
    )
    server.interact(click)
    [shown] = server.slack.wait_for("response/show")
    assert f"/faq/{first['value']}" in text_of(shown)
    assert shown.args["replace_original"] is False


def test_helpbot_help_lists_every_command(server):
    reply = server.command("/helpbot", "help", "UTOM")
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    for command in (
        "/faq",
        "/reinvite",
        "/set-role",
        "/set-primary-contact",
        "/delete-technician",
        "/team",
        "/helpbot",
    ):
        assert command in body["text"]


def test_reinvite_with_options_sends_at_once_and_tells_the_target(server):
    reply = server.command("/reinvite", "<@UTOM|tom> mobile sms", "UMARIA")
    assert reply.status == 200
    [confirmation] = server.slack.wait_for("response/r1")
    assert "new mobile invitation to Tom Tech" in confirmation.args["text"]
    assert server.probe.user(TOM).invitation.startswith("mobile (SMS verification) invitation")
    [dm] = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")
    assert "sent you a new invitation" in dm.args["text"]


def test_reinvite_by_email(server):
    server.command("/reinvite", "nina@acme.test mobile", "UMARIA")
    [confirmation] = server.slack.wait_for("response/r1")
    assert "Nina New" in confirmation.args["text"]


def test_reinvite_without_options_opens_the_invitation_modal(server):
    server.command("/reinvite", "<@UTOM|tom>", "UMARIA")
    [opened] = server.slack.wait_for("views.open")
    modal = view(opened)
    assert modal["callback_id"] == ids.REINVITE_MODAL
    assert modal["submit"]["text"] == "SEND"
    radio = next(b for b in modal["blocks"] if b.get("block_id") == ids.INVITE_KIND_BLOCK)
    labels = [o["text"]["text"] for o in radio["element"]["options"]]
    assert labels == ["Use a mobile device", "Use a web browser"]
    sms = next(b for b in modal["blocks"] if b.get("block_id") == ids.INVITE_SMS_BLOCK)
    assert sms["element"]["options"][0]["text"]["text"] == "Require SMS verification"
    assert "initial_options" not in sms["element"]  # unchecked by default
    submit(
        server,
        "UMARIA",
        modal,
        {
            ids.INVITE_KIND_BLOCK: {
                ids.INVITE_KIND_ACTION: {
                    "type": "radio_buttons",
                    "selected_option": {"value": "web"},
                }
            },
            ids.INVITE_SMS_BLOCK: {
                ids.INVITE_SMS_ACTION: {"type": "checkboxes", "selected_options": []}
            },
        },
    )
    [done] = server.slack.wait_for("chat.postEphemeral")
    assert done.args["channel"] == "C0GENERAL"
    assert done.args["user"] == "UMARIA"
    assert "web app invitation to Tom Tech" in text_of(done)
    assert server.probe.user(TOM).invitation.startswith("web invitation pending")


def test_invitation_modal_refuses_sms_with_web_inside_the_modal(server):
    server.command("/reinvite", "<@UTOM|tom>", "UMARIA")
    modal = view(server.slack.wait_for("views.open")[0])
    reply = submit(
        server,
        "UMARIA",
        modal,
        {
            ids.INVITE_KIND_BLOCK: {ids.INVITE_KIND_ACTION: {"selected_option": {"value": "web"}}},
            ids.INVITE_SMS_BLOCK: {
                ids.INVITE_SMS_ACTION: {"selected_options": [{"value": ids.INVITE_SMS_VALUE}]}
            },
        },
    )
    assert reply.json()["response_action"] == "errors"
    assert ids.INVITE_SMS_BLOCK in reply.json()["errors"]
    assert server.domain.audit_log() == []


def test_web_invitation_before_a_mobile_one_is_refused_specifically(server):
    server.command("/reinvite", "nina@acme.test web", "UMARIA")
    [refusal] = server.slack.wait_for("response/r1")
    assert refusal.args["response_type"] == "ephemeral"
    assert "first invitation is always a mobile invitation" in text_of(refusal)
    assert server.probe.emails() == []


def test_non_manager_is_refused(server):
    server.command("/reinvite", "<@UPAT|pat> mobile", "UTOM")
    [refusal] = server.slack.wait_for("response/r1")
    assert "Only a Site Manager" in text_of(refusal)
    assert server.probe.emails() == []


def test_unknown_person_is_told_whom_to_ask(server):
    server.command("/team", "", "USTRANGER")
    [refusal] = server.slack.wait_for("response/r1")
    text = text_of(refusal)
    assert "Site Manager" in text
    assert "<#C0SUPPORT>" in text


def test_person_without_email_is_told_whom_to_ask(server):
    server.command("/team", "", "UNOMAIL")
    [refusal] = server.slack.wait_for("response/r1")
    assert "team directory" in text_of(refusal)


def test_usage_errors_are_answered_in_the_ack(server):
    reply = server.command("/reinvite", "tom please", "UMARIA")
    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert "/reinvite @user [mobile|web] [sms]" in reply.json()["text"]
    reply = server.command("/set-role", "<@UTOM|tom> boss", "UMARIA")
    assert "is not a role" in reply.json()["text"]
    assert server.domain.audit_log() == []


def test_set_role(server):
    server.command("/set-role", "<@UTOM|tom> Install Technician", "UMARIA")
    [done] = server.slack.wait_for("response/r1")
    assert "role from Technician to Install Technician" in text_of(done)
    assert server.probe.user(TOM).role == "install-technician"


def test_set_role_on_the_primary_contact_warns(server):
    server.command("/set-role", "<@UPAT|pat> install-technician", "UMARIA")
    [done] = server.slack.wait_for("response/r1")
    assert "now has no Primary Contact" in text_of(done)


def test_set_primary_contact_after_the_old_one_was_demoted(server):
    server.command("/set-role", "<@UPAT|pat> install-technician", "UMARIA")
    server.slack.wait_for("response/r1")
    server.command(
        "/set-primary-contact",
        "<@UTOM|tom>",
        "UMARIA",
        response_url=server.slack.response_url("r2"),
    )
    [done] = server.slack.wait_for("response/r2")
    assert "Primary Contact" in text_of(done)
    assert server.probe.user(TOM).is_primary_contact
    reply = server.command("/set-primary-contact", "", "UMARIA")
    assert "/set-primary-contact @user" in reply.json()["text"]


def test_delete_technician_confirms_first_then_deletes(server):
    server.command("/delete-technician", "<@UTOM|tom>", "UMARIA")
    [opened] = server.slack.wait_for("views.open")
    modal = view(opened)
    assert modal["callback_id"] == ids.DELETE_CONFIRM_MODAL
    assert "<@UTOM>" in json.dumps(modal["blocks"])
    assert server.probe.user(TOM).status == "active"  # not yet
    submit(server, "UMARIA", modal, {})
    server.slack.wait_for("chat.postEphemeral")
    assert server.probe.user(TOM).status == "deleted"


def test_primary_contact_refusal_offers_the_change_role_button(server):
    server.command("/delete-technician", "<@UPAT|pat>", "UMARIA")
    [refusal] = server.slack.wait_for("response/r1")  # at once: no confirmation to fill in
    assert "is the Primary Contact" in text_of(refusal)
    button = find_element(blocks(refusal), ids.ACTION_SET_ROLE)
    assert button["value"] == "email:pat@acme.test"
    server.slack.reset()
    click = block_action(
        "UMARIA",
        {**button, "type": "button"},
        response_url=server.slack.response_url("ephemeral"),
        channel="C0GENERAL",
    )
    server.interact(click)
    role_modal = view(server.slack.wait_for("views.open")[0])
    assert role_modal["callback_id"] == ids.SET_ROLE_MODAL
    role_block = next(b for b in role_modal["blocks"] if b.get("block_id") == ids.ROLE_BLOCK)
    assert role_block["element"]["initial_option"]["value"] == "install-technician"
    submit(
        server,
        "UMARIA",
        role_modal,
        {ids.ROLE_BLOCK: {ids.ROLE_ACTION: {"selected_option": {"value": "install-technician"}}}},
    )
    [done] = server.slack.wait_for("chat.postEphemeral")
    assert "Install Technician" in text_of(done)
    assert server.probe.user(PAT).is_primary_contact is False


def test_team_lists_user_cards_with_the_overflow_menu(server):
    server.command("/team", "", "UMARIA")
    [reply] = server.slack.wait_for("response/r1")
    text = text_of(reply)
    assert "Pat Primary" in text
    assert "Primary contact" in text
    assert "Gary" not in text  # another account
    overflow = find_element(blocks(reply), ids.indexed(ids.USER_OVERFLOW, 0))
    labels = [o["text"]["text"] for o in overflow["options"]]
    assert labels == ["Invite", "Change role", "Delete", "Reset password"]


def test_team_search_and_overflow_opens_the_invitation(server):
    server.command("/team", "tom", "UMARIA")
    [reply] = server.slack.wait_for("response/r1")
    assert "Pat" not in text_of(reply)
    overflow = find_element(blocks(reply), ids.indexed(ids.USER_OVERFLOW, 0))
    click = block_action(
        "UMARIA",
        {
            "type": "overflow",
            "action_id": overflow["action_id"],
            "selected_option": overflow["options"][0],
        },
        response_url=server.slack.response_url("team"),
        channel="C0GENERAL",
    )
    server.interact(click)
    modal = view(server.slack.wait_for("views.open")[0])
    assert modal["callback_id"] == ids.REINVITE_MODAL
    assert json.loads(modal["private_metadata"])["target"] == "tom@acme.test"


def test_team_escapes_names_and_search_text(server):
    server.command("/team", "<!channel>", "UGARY")
    [reply] = server.slack.wait_for("response/r1")
    assert "<!channel>" not in text_of(reply)
    server.slack.reset()
    server.command("/team", "gwen", "UGARY")
    [reply] = server.slack.wait_for("response/r1")
    assert "Gwen &lt;!channel&gt; Tech" in text_of(reply)
