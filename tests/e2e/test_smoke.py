"""First contact: the server answers health checks, FAQ pages and a signed DM."""

from __future__ import annotations

from tests.slack_fakes import dm_event


def test_healthz(server):
    reply = server.request("/healthz")
    assert (reply.status, reply.body) == (200, "ok\n")


def test_dm_question_gets_an_answer_card(server):
    reply = server.event(dm_event("UTOM", "I forgot my password"))
    assert reply.status == 200
    [post] = server.slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0DM"
    assert "Forgot your password" in str(post.args["blocks"])
