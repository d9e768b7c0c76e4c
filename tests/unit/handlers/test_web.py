"""The FAQ pages and the WSGI routing."""

from __future__ import annotations

from bot.web import answer_html, entry_page, index_page


def test_answer_html_lists_bold_and_escaping():
    html = answer_html("Intro *bold* <script>\n1. one\n2. two `code`\n• a\n• b\nEnd & out")
    assert "<strong>bold</strong>" in html
    assert "&lt;script&gt;" in html
    assert "<ol>\n<li>one</li>\n<li>two <code>code</code></li>\n</ol>" in html
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html
    assert "<p>End &amp; out</p>" in html


def test_entry_page(knowledge_base):
    entry = knowledge_base.get("delete-primary-contact")
    page = entry_page(entry, knowledge_base).decode()
    assert page.startswith("<!doctype html>")
    assert "<h1>I can&#x27;t delete a Technician because they are the Primary Contact.</h1>" in page
    assert '<a href="resend-invitation">' in page  # related entries
    assert '<a href="./">All questions</a>' in page


def test_index_page_lists_every_entry(knowledge_base):
    page = index_page(knowledge_base).decode()
    for entry in knowledge_base:
        assert f'href="{entry.id}"' in page


class FixedClock:
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def test_is_signed_by_slack_checks_the_raw_bytes_and_a_fresh_well_formed_timestamp():
    from slack_sdk.signature import SignatureVerifier

    from bot.web import is_signed_by_slack
    from tests.slack_fakes import SIGNING_SECRET, signed_headers

    body = '{"text": "caf\u00e9 & <b>"}'
    headers = signed_headers(body, "application/json", timestamp=1_700_000_000)
    environ = {
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": headers["X-Slack-Request-Timestamp"],
        "HTTP_X_SLACK_SIGNATURE": headers["X-Slack-Signature"],
    }

    def signed(at: float, raw: bytes = body.encode(), **changes: str) -> bool:
        verifier = SignatureVerifier(SIGNING_SECRET, FixedClock(at))
        return is_signed_by_slack(verifier, {**environ, **changes}, raw)

    assert signed(1_700_000_000 + 299)
    assert not signed(1_700_000_000 + 301)  # stale: a replay
    assert not signed(1_700_000_000, body.encode() + b" ")
    for timestamp in ("abc", "", "1.7e9", "\u0661\u0667" * 5, "-1700000000"):
        assert not signed(1_700_000_000, HTTP_X_SLACK_REQUEST_TIMESTAMP=timestamp)
    assert not signed(1_700_000_000, HTTP_X_SLACK_SIGNATURE="v1=" + "0" * 64)
