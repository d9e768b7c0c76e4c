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
