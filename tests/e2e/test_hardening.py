"""Issue 9, reliability half: failed confirmations, Ask a human, start-up token checks, a way to
a human from every card, admin forms refused before they open, /reset-password, Slack limits."""

from __future__ import annotations

import contextlib
import json

from bot.domain import DomainError
from faq import Outcome
from handlers import ids
from tests.e2e.conftest import SUPPORT, TOM
from tests.e2e.helpers import action_ids, blocks, find_element, text_of, view
from tests.slack_fakes import Failure, block_action, block_suggestion, dm_event, view_submission

SLACK_ERROR = Failure(status=200, body={"ok": False, "error": "channel_not_found"})
SERVER_ERROR = Failure(status=500, body={"ok": False, "error": "internal_error"})


def apologies(server) -> list[str]:
    return [text_of(c) for c in server.slack.calls if "Sorry, something went wrong" in text_of(c)]


def test_b4_a_failed_confirmation_of_a_form_is_logged_and_the_target_is_told(server):
    server.command("/reinvite", "<@UTOM|tom>", "UMARIA")
    modal = view(server.slack.wait_for("views.open")[0])
    server.slack.fail("chat.postEphemeral", SLACK_ERROR)
    server.slack.fail("chat.postMessage", SLACK_ERROR)  # the DM fallback to the manager
    server.interact(view_submission("UMARIA", modal, {}))
    told = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")
    assert "invitation" in text_of(told[0])
    assert apologies(server) == []
    assert server.probe.done() == ["reinvite"]
    assert server.probe.user(TOM).invitation.startswith("mobile invitation pending")


def test_b4_a_failed_confirmation_of_a_command_is_logged_and_the_target_is_told(server):
    lost = Failure(disconnect=True)
    server.slack.fail("response/r1", lost, lost, lost, lost)
    server.command("/reinvite", "<@UTOM|tom> mobile", "UMARIA")
    told = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")
    assert "invitation" in text_of(told[0])
    assert apologies(server) == []
    assert server.probe.done() == ["reinvite"]


def fallback_button(server, question: str = "What is the weather in Paris?", ts="1700000000.3"):
    """Ask something helpbot can't answer in a DM; the Ask a human button of its reply."""
    server.event(dm_event("UTOM", question, ts=ts))
    [post] = server.slack.wait_for("chat.postMessage")
    return find_element(blocks(post), ids.ASK_HUMAN)


def press(server, button: dict, name: str = "human", user: str = "UTOM") -> None:
    click = block_action(
        user, {**button, "type": "button"}, response_url=server.slack.response_url(name)
    )
    assert server.interact(click).status == 200


def support_posts(server):
    return [c for c in server.slack.of("chat.postMessage") if c.args["channel"] == SUPPORT]


def test_b5_ask_a_human_that_fails_to_post_says_so_and_can_be_pressed_again(server):
    button = fallback_button(server)
    server.slack.fail("chat.postMessage", SLACK_ERROR)
    press(server, button)
    [failed] = server.slack.wait_for("response/human")
    assert "not passed on" in failed.args["text"]  # the truth, not the generic apology
    assert failed.args.get("replace_original") is not True  # the button stays to press again
    press(server, button)
    server.slack.wait_for("response/human", 2)
    _refused, support = support_posts(server)  # the fake records the refused call too
    assert "Paris" in text_of(support)
    assert "passed your question" in server.slack.of("response/human")[1].args["text"]


def test_b6_an_auth_test_failure_answers_the_event_with_a_5xx_so_slack_retries_it(server):
    server.slack.fail("auth.test", SERVER_ERROR)
    event = dm_event("UTOM", "I forgot my password")
    first = server.event(event, event_id="Ev0AUTHFAIL")
    assert first.status >= 500  # Slack delivers the event again
    assert "installation" not in first.body
    assert server.event(event, event_id="Ev0AUTHFAIL", retry=1).status == 200
    [post] = server.slack.wait_for("chat.postMessage")
    assert "Forgot your password" in text_of(post)


def primaries(payload_blocks) -> int:
    elements = [
        e for b in payload_blocks for e in [*b.get("elements", []), b.get("accessory") or {}]
    ]
    return sum(1 for e in elements if e.get("style") == "primary")


def test_at_most_one_primary_button_per_message(server, faq_store):
    server.event(dm_event("UMARIA", "how do I delete the primary contact"))
    [post] = server.slack.wait_for("chat.postMessage")
    assert {ids.ACTION_SET_ROLE, ids.ACTION_DELETE_TECHNICIAN} <= set(action_ids(blocks(post)))
    assert primaries(blocks(post)) == 1


def test_a_clarify_card_offers_none_of_these_ask_a_human(server, faq_store):
    question = "phone"  # ambiguous on the matcher branch ("reinvite web" is now answered)
    assert faq_store.matcher.match(question).outcome is Outcome.CLARIFY
    server.event(dm_event("UTOM", question, ts="1700000000.000400"))
    [post] = server.slack.wait_for("chat.postMessage")
    button = find_element(blocks(post), ids.ASK_HUMAN)
    assert button["text"]["text"] == "None of these — ask a human"
    assert primaries(blocks(post)) <= 1
    press(server, button)
    [done] = server.slack.wait_for("response/human")
    assert "passed your question" in done.args["text"]
    [support] = support_posts(server)
    assert "phone" in text_of(support)
    assert "https://test.slack.com/archives/D0DM/p1700000000000400" in text_of(support)


JAPANESE = "パスワードを忘れてしまい、アプリにログインできません。" * 14  # 378 characters


def test_a_long_non_latin_question_reaches_support_whole(server):
    assert len(JAPANESE) > 360
    button = fallback_button(server, JAPANESE)
    assert len(button["value"]) <= 2000
    assert json.loads(button["value"])["q"] == JAPANESE
    press(server, button)
    server.slack.wait_for("response/human")
    [support] = support_posts(server)
    assert JAPANESE in text_of(support)


def test_a_question_too_long_for_a_button_is_cut_cleanly_and_support_is_told(server):
    question = "ログインできません。" * 400  # 4,000 characters: more than a button carries
    button = fallback_button(server, question, ts="1700000000.000500")
    value = json.loads(button["value"])  # whole JSON, not cut inside an escape
    assert len(button["value"]) <= 2000
    assert question.startswith(value["q"])
    press(server, button)
    server.slack.wait_for("response/human")
    [support] = support_posts(server)
    text = text_of(support)
    assert "ログインできません。" in text
    assert "cut" in text  # support knows it is not the whole question…
    assert "https://test.slack.com/archives/D0DM/p1700000000000500" in text  # …and where it is


def test_the_search_modals_did_you_mean_offers_ask_a_human_too(server):
    from handlers.render.home import search_modal

    values = {ids.SEARCH_BLOCK: {ids.SEARCH_ACTION: {"type": "plain_text_input", "value": "phone"}}}
    reply = server.interact(view_submission("UTOM", search_modal(), values))
    results = reply.json()["view"]
    button = find_element(results["blocks"], ids.ASK_HUMAN)
    click = block_action(
        "UTOM",
        {**button, "type": "button"},
        response_url=None,
        container={"type": "view", "view_id": "VSEARCH"},
        channel=None,
        view={**results, "id": "VSEARCH"},
    )
    server.interact(click)
    done = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")
    assert "passed your question" in done[0].args["text"]
    [support] = support_posts(server)
    assert "phone" in text_of(support)


def test_a_technician_is_refused_before_the_invitation_form_opens(server):
    server.command("/reinvite", "<@UMARIA|maria>", "UTOM")
    [refusal] = server.slack.wait_for("response/r1")
    assert "Site Manager" in text_of(refusal)
    assert server.slack.of("views.open") == []  # the refusal came instead of the form


def test_deleting_the_primary_contact_is_refused_before_the_confirmation(server):
    server.command("/delete-technician", "<@UPAT|pat>", "UMARIA")
    [refusal] = server.slack.wait_for("response/r1")
    assert "is the Primary Contact" in text_of(refusal)
    button = find_element(blocks(refusal), ids.ACTION_SET_ROLE)
    assert button["value"] == "email:pat@acme.test"
    assert server.slack.of("views.open") == []
    assert server.probe.user("pat@acme.test").status == "active"


def test_a_form_button_pressed_by_someone_who_may_not_use_it_is_refused_at_once(server):
    for action_id, value in (
        (ids.ACTION_DELETE_TECHNICIAN, "email:pat@acme.test"),
        (ids.ACTION_SET_ROLE, "set-role"),
    ):  # with and without a target
        name = action_id
        click = block_action(
            "UTOM",
            {"action_id": action_id, "value": value, "type": "button"},
            response_url=server.slack.response_url(name),
        )
        server.interact(click)
        [refusal] = server.slack.wait_for(f"response/{name}")
        assert "Site Manager" in text_of(refusal)
    assert server.slack.of("views.open") == []


def test_reset_password_for_yourself(server):
    assert server.command("/reset-password", "", "UTOM").status == 200
    [done] = server.slack.wait_for("response/r1")
    assert done.args["response_type"] == "ephemeral"
    assert "reset" in text_of(done).lower()
    assert server.probe.emails(TOM) == ["Reset your SMB app password"]


def test_reset_password_for_someone_else_is_a_managers_and_tells_them(server):
    server.command("/reset-password", "<@UTOM|tom>", "UMARIA")
    server.slack.wait_for("response/r1")
    told = server.slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "UTOM")
    assert told
    assert server.probe.emails(TOM) == ["Reset your SMB app password"]
    server.command(
        "/reset-password", "<@UMARIA|maria>", "UTOM", response_url=server.slack.response_url("r2")
    )
    [refusal] = server.slack.wait_for("response/r2")
    assert "Site Manager" in text_of(refusal)
    reply = server.command("/reset-password", "a b", "UTOM")
    assert "/reset-password [@user]" in reply.json()["text"]


def test_reset_password_is_in_help_and_on_the_user_card_menu(server):
    help_text = json.dumps(server.command("/helpbot", "help", "UTOM").json())
    assert "/reset-password [@user]" in help_text
    server.command("/team", "tom", "UMARIA")
    [team] = server.slack.wait_for("response/r1")
    menu = find_element(blocks(team), ids.indexed(ids.USER_OVERFLOW, 0))
    [reset] = [o for o in menu["options"] if o["text"]["text"] == "Reset password"]
    click = block_action(
        "UMARIA",
        {**menu, "type": "overflow", "selected_option": reset},
        response_url=server.slack.response_url("menu"),
    )
    server.interact(click)
    [done] = server.slack.wait_for("response/menu")
    assert "reset" in text_of(done).lower()
    assert server.probe.emails(TOM) == ["Reset your SMB app password"]


def test_b12_a_double_click_on_the_reset_button_sends_one_email(server):
    for _ in range(2):  # two deliveries of two clicks: two action_ts
        click = block_action(
            "UTOM",
            {"action_id": ids.ACTION_RESET_PASSWORD, "value": "forgot-password", "type": "button"},
            response_url=server.slack.response_url("reset"),
        )
        server.interact(click)
    first, second = server.slack.wait_for("response/reset", 2)
    assert server.probe.emails() == ["Reset your SMB app password"]
    assert "a moment ago" in text_of(first) + text_of(second)


LONG = "lou.longname." + "x" * 40 + "@" + ".".join(["department" + "d" * 30] * 3) + ".acme.test"


def add_long_email_user(server) -> None:
    assert len(LONG) > 160
    csv = f"account,name,email,phone,role,primary_contact\nAcme,Lou Long,{LONG},,technician,no\n"
    server.domain.import_directory(csv)


def test_a_long_email_survives_the_user_card_menu(server):
    add_long_email_user(server)
    server.command("/team", "Lou", "UMARIA")
    [team] = server.slack.wait_for("response/r1")
    menu = find_element(blocks(team), ids.indexed(ids.USER_OVERFLOW, 0))
    assert all(len(o["value"]) <= 150 for o in menu["options"])
    [invite] = [o for o in menu["options"] if o["text"]["text"] == "Invite"]
    click = block_action(
        "UMARIA",
        {**menu, "type": "overflow", "selected_option": invite},
        response_url=server.slack.response_url("menu"),
    )
    server.interact(click)
    modal = view(server.slack.wait_for("views.open")[0])
    assert json.loads(modal["private_metadata"])["target"] == LONG


def test_a_long_email_survives_the_user_picker(server):
    from handlers.render.admin import reinvite_modal

    add_long_email_user(server)
    picker_view = reinvite_modal(None, {"target": None, "target_id": None, "channel": "C0GENERAL"})
    reply = server.interact(block_suggestion("UMARIA", ids.USER_PICK_ACTION, "Lou", picker_view))
    [option] = reply.json()["options"]
    assert len(option["value"]) <= 150
    values = {
        ids.USER_PICK_BLOCK: {
            ids.USER_PICK_ACTION: {"selected_option": {"value": option["value"]}}
        },
        ids.INVITE_KIND_BLOCK: {ids.INVITE_KIND_ACTION: {"selected_option": {"value": "mobile"}}},
    }
    server.interact(view_submission("UMARIA", picker_view, values))
    [done] = server.slack.wait_for("chat.postEphemeral")
    assert "Lou Long" in text_of(done)
    assert server.probe.emails(LONG) == ["Your invitation to the SMB mobile app"]


VERY_LONG = "v" * 60 + "@" + ".".join([f"l{n}" + "e" * 55 for n in range(4)]) + ".acme.test"


def test_home_recent_activity_keeps_every_row_whole(server):
    from tests.e2e.test_surfaces import home_event

    csv = (
        f"account,name,email,phone,role,primary_contact\nAcme,Val Long,{VERY_LONG},,technician,no\n"
    )
    server.domain.import_directory(csv)
    for _ in range(10):  # five invitations, then five refusals (five an hour): ten rows
        with contextlib.suppress(DomainError):
            server.domain.resend_invitation("maria@acme.test", VERY_LONG)
    server.event(home_event("UMARIA"))
    [published] = server.slack.wait_for("views.publish")
    home_blocks = view(published)["blocks"]
    texts = [
        e["text"]
        for b in home_blocks
        for e in [b.get("text") or {}, *b.get("elements", [])]
        if isinstance(e, dict) and "text" in e and isinstance(e["text"], str)
    ]
    assert all(len(t) <= 3000 for t in texts)
    assert sum(t.count(VERY_LONG) for t in texts) == 10  # every row of the last ten, whole


def big_faq(tmp_path, count: int = 60):
    """A knowledge base with more topics than one message's 50 blocks (three categories)."""
    from faq import FaqStore

    for c in range(3):
        entries = [
            f"- id: topic-{n}\n  category: Category {c}\n  audience: everyone\n"
            f"  question: How does thing number {n} work?\n"
            f"  alternate_questions: [thing {n}]\n"
            f"  answer: Thing {n} works like this.\n  tags: [thing]\n  updated: 2026-11-27\n"
            for n in range(c, count, 3)
        ]
        (tmp_path / f"c{c}.yaml").write_text("".join(entries))
    return FaqStore(tmp_path)


def test_faq_topic_list_and_home_never_drop_topics(slack, domain, database, tmp_path):
    from tests.e2e.conftest import start_server

    server, httpd = start_server(slack, domain, big_faq(tmp_path), database)
    try:
        server.command("/faq", "", "UTOM")
        [reply] = server.slack.wait_for("response/r1")
        listed = blocks(reply)
        assert len(listed) <= 50
        text = text_of(reply)
        assert all(f"topic-{n}`" in text or f'"topic-{n}"' in text for n in range(60))
        from tests.e2e.test_surfaces import home_event

        server.event(home_event("UMARIA"))  # the Home tab lists every topic too
        home = view(server.slack.wait_for("views.publish")[0])
        assert len(home["blocks"]) <= 100
        assert all(f"topic-{n}" in json.dumps(home) for n in range(60))
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_fake_slack_refuses_what_slack_refuses(server):
    from tests.slack_fakes import block_kit_problem

    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    assert block_kit_problem("chat.postMessage", {"blocks": json.dumps(too_long)})
    menu = {
        "type": "overflow",
        "action_id": "o",
        "options": [
            {"text": {"type": "plain_text", "text": "a"}, "value": "v" * 151},
            {"text": {"type": "plain_text", "text": "b"}, "value": "w"},
        ],
    }
    assert block_kit_problem(
        "response/r1",
        {
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "t"}, "accessory": menu}
            ]
        },
    )
    assert block_kit_problem("chat.postMessage", {"blocks": [{"type": "divider"}] * 51})
    assert block_kit_problem("chat.postMessage", {"blocks": [{"type": "divider"}]}) is None
    server.event(dm_event("UTOM", "I forgot my password"))
    server.slack.wait_for("chat.postMessage")
    assert server.slack.invalid == []
