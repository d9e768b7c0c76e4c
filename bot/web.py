"""The WSGI application: Slack's requests go to Bolt; /healthz and the FAQ pages are ours.

POST /slack/events   events, slash commands, interactivity and options (Bolt), once the body
                     is at most MAX_BODY_BYTES (413) and signed with the signing secret (401)
GET  /healthz        200 "ok" while the process serves
GET  /faq/           every FAQ entry by category
GET  /faq/<id>       one entry, as a clean HTML page to link anywhere
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import Clock, SignatureVerifier

from faq import Entry, FaqStore, KnowledgeBase

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Slack's largest payload, a submitted 100-block modal, is far smaller; anything bigger is not
# Slack, and is refused before it is read into memory.
MAX_BODY_BYTES = 1024 * 1024
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits: int() would also take "١٢" or " 1_0"
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

_BOLD = re.compile(r"\*([^*\n]+)\*")
_CODE = re.compile(r"`([^`\n]+)`")
_NUMBERED = re.compile(r"^\d+\.\s+")
_BULLET = re.compile(r"^[•\-]\s+")

STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:46rem;
margin:2rem auto;padding:0 1rem;color:#1d1c1d}
a{color:#1264a3}h1{font-size:1.6rem;line-height:1.3}h2{font-size:1.2rem;margin-top:2rem}
.meta{color:#616061;font-size:.9rem}li{margin:.25rem 0}code{background:#f4f4f4;padding:0 .2em}
"""


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=True)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _CODE.sub(r"<code>\1</code>", escaped)


def answer_html(answer: str) -> str:
    """Slack mrkdwn answer -> HTML: paragraphs, numbered and bulleted lists, bold, code."""
    parts: list[str] = []
    open_list: str | None = None
    for line in answer.splitlines():
        kind = "ol" if _NUMBERED.match(line) else "ul" if _BULLET.match(line) else None
        if kind != open_list and open_list:
            parts.append(f"</{open_list}>")
            open_list = None
        if kind:
            if open_list is None:
                parts.append(f"<{kind}>")
                open_list = kind
            item = _NUMBERED.sub("", line) if kind == "ol" else _BULLET.sub("", line)
            parts.append(f"<li>{_inline(item)}</li>")
        elif line.strip():
            parts.append(f"<p>{_inline(line)}</p>")
    if open_list:
        parts.append(f"</{open_list}>")
    return "\n".join(parts)


def _page(title: str, body: str) -> bytes:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    ).encode()


NOT_FOUND = _page(
    "Not found",
    '<h1>Not found</h1>\n<p>There is no page here. <a href="/faq/">See all questions</a>.</p>',
)


def entry_page(entry: Entry, knowledge_base: KnowledgeBase) -> bytes:
    related = [knowledge_base.get(r) for r in entry.related]
    links = "".join(
        f'<li><a href="{html.escape(r.id)}">{html.escape(r.question)}</a></li>'
        for r in related
        if r is not None
    )
    updated = f" · updated {entry.updated.isoformat()}" if entry.updated else ""
    body = (
        f'<p class="meta"><a href="./">All questions</a> · {html.escape(entry.category)}'
        f"{updated}</p>\n<h1>{html.escape(entry.question)}</h1>\n{answer_html(entry.answer)}"
    )
    if links:
        body += f"\n<h2>Related</h2>\n<ul>{links}</ul>"
    return _page(entry.question, body)


def index_page(knowledge_base: KnowledgeBase) -> bytes:
    sections = []
    for category, entries in knowledge_base.categories().items():
        items = "".join(
            f'<li><a href="{html.escape(e.id)}">{html.escape(e.question)}</a></li>' for e in entries
        )
        sections.append(f"<h2>{html.escape(category)}</h2>\n<ul>{items}</ul>")
    return _page("helpbot FAQ", "<h1>Frequently asked questions</h1>\n" + "\n".join(sections))


class _Refused(Exception):
    """The request to /slack/events is not one of Slack's: answer `status`, read no further."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def _read_body(environ: dict[str, Any]) -> bytes:
    """The body, read only when Content-Length is present and at most MAX_BODY_BYTES."""
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        raise _Refused("411 Length Required")
    if not raw.isascii() or not raw.isdigit():
        raise _Refused("400 Bad Request")
    length = int(raw)
    if length > MAX_BODY_BYTES:
        raise _Refused("413 Content Too Large")
    stream, parts, left = environ["wsgi.input"], [], length
    while left > 0:
        part = stream.read(left)
        if not part:
            raise _Refused("400 Bad Request")  # shorter than announced
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def is_signed_by_slack(verifier: SignatureVerifier, environ: dict[str, Any], body: bytes) -> bool:
    """True if the raw body carries a valid, fresh Slack signature (malformed headers: False)."""
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "").strip()
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "").strip()
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    return verifier.is_valid(body, timestamp, signature)


def create_wsgi_app(
    app: App, faq: FaqStore, *, signing_secret: str, clock: Clock | None = None
) -> WsgiApp:
    """One WSGI callable for gunicorn: Bolt on /slack/events, our pages elsewhere.

    Bolt sees only bodies of bounded size whose signature was checked on the raw bytes here;
    anything else is answered 401/411/413 without being parsed, logged or acted on.
    """
    slack = SlackRequestHandler(app, path=SLACK_PATH)
    verifier = SignatureVerifier(signing_secret, clock or Clock())

    def respond(start_response, status: str, body: bytes, content_type: str, extra=()):
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
            *extra,
        ]
        start_response(status, headers)
        return [body]

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == SLACK_PATH and method == "POST":
            try:
                body = _read_body(environ)
            except _Refused as refused:
                log.info("refused a request to %s: %s", SLACK_PATH, refused.status)
                return respond(
                    start_response,
                    refused.status,
                    f"{refused.status[4:].lower()}\n".encode(),
                    "text/plain; charset=utf-8",
                )
            if not is_signed_by_slack(verifier, environ, body):
                log.info("refused an unsigned or badly signed request (%d bytes)", len(body))
                return respond(
                    start_response,
                    "401 Unauthorized",
                    b"unauthorized\n",
                    "text/plain; charset=utf-8",
                )
            environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        if path == SLACK_PATH:
            try:
                return slack(environ, start_response)
            except Exception:  # Bolt could not even parse it (e.g. payload=null): not Slack
                log.warning("unparseable request to %s", SLACK_PATH, exc_info=True)
                return respond(
                    start_response, "400 Bad Request", b"bad request\n", "text/plain; charset=utf-8"
                )
        if method not in ("GET", "HEAD"):
            return respond(
                start_response,
                "405 Method Not Allowed",
                b"method not allowed\n",
                "text/plain; charset=utf-8",
                [("Allow", "GET, HEAD")],
            )
        if path == "/healthz":
            return respond(start_response, "200 OK", b"ok\n", "text/plain; charset=utf-8")
        if path in ("/faq", "/faq/"):
            if path == "/faq":
                return respond(
                    start_response,
                    "301 Moved Permanently",
                    b"",
                    "text/plain",
                    [("Location", "/faq/")],
                )
            page = index_page(faq.knowledge_base)
            return respond(start_response, "200 OK", page, "text/html; charset=utf-8")
        if path.startswith("/faq/"):
            entry_id = path[len("/faq/") :]
            entry = faq.knowledge_base.get(entry_id.removesuffix("/"))
            if entry is not None and entry_id != entry.id:
                # One URL per entry: its relative links ("./", "other-id") resolve from there.
                return respond(
                    start_response,
                    "301 Moved Permanently",
                    b"",
                    "text/plain",
                    [("Location", f"../{entry.id}")],
                )
            if entry is not None:
                page = entry_page(entry, faq.knowledge_base)
                return respond(start_response, "200 OK", page, "text/html; charset=utf-8")
        return respond(start_response, "404 Not Found", NOT_FOUND, "text/html; charset=utf-8")

    return wsgi
