"""The FAQ pages: one canonical URL per entry, links that work, and a way back from a 404."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urljoin, urlsplit


def get(server, path: str) -> tuple[int, dict[str, str], str]:
    """GET without following redirects."""
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page)


def test_a_trailing_slash_redirects_to_the_entrys_canonical_url(server):
    status, headers, _ = get(server, "/faq/forgot-password/")
    assert status == 301
    assert urljoin(server.url + "/faq/forgot-password/", headers["Location"]) == (
        server.url + "/faq/forgot-password"
    )


def test_every_link_of_every_page_leads_to_a_page(server):
    status, _, index = get(server, "/faq/")
    assert status == 200
    for href in links(index):
        entry_url = urljoin(server.url + "/faq/", href)
        status, _, page = get(server, urlsplit(entry_url).path)
        assert status == 200, entry_url
        for related in links(page):
            target = urlsplit(urljoin(entry_url, related)).path
            assert get(server, target)[0] == 200, (entry_url, related)


def test_the_not_found_page_links_back_to_the_questions(server):
    for path in (
        "/faq/no-such-entry",
        "/faq/forgot-password/extra",
        "/faq/forgot-password//",
        "/nope",
    ):
        status, _, page = get(server, path)
        assert status == 404
        [back] = links(page)
        assert urlsplit(urljoin(server.url + path, back)).path == "/faq/"
