"""Loopback servers for the widget's browser tests.

FakeRasa speaks Rasa's REST channel (POST /webhooks/rest/webhook -> JSON list of bot messages) with scripted replies
that follow docs/conversation.md, with the real assistant's button titles and texts (read by untangle_assistant.py
from domain.yml and actions/), plus hostile text, a crisis_referral payload with fixed lines, a 500 and a slow reply.
It also serves two plain pages ("/" and "/exit") used as the pages before and after a quick exit. StaticSite serves
web/ like `python -m http.server`, plus /__embed__.html, a page whose one widget tag takes its data- attributes from
the query string (and an optional CSP header).
"""

from __future__ import annotations

import html
import json
import os
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qsl, urlsplit

from tests.web.untangle_assistant import (
    AFTER_MORE_BUTTONS,
    SAFE_TO_CHAT,
    STEP_BUTTONS,
    TOPICS,
    country_name,
    load_path,
    parse_go_to_step,
    response,
    safety_text,
)

WEBHOOK = "/webhooks/rest/webhook"
# The real assistant, when running: tests marked `live` need it; the others use it instead of the fake.
LIVE_URL = os.environ.get("UNTANGLE_SERVER_URL", "").rstrip("/")
PWNED = "window.__pwned = (window.__pwned || 0) + 1"

HOSTILE_BOT_TEXTS = [
    f'<img src=x onerror="{PWNED}">',
    f"<script>{PWNED}</script>",
    f'<a href="javascript:{PWNED}">a link</a> and javascript:alert(1) and [tap here](javascript:alert(1))',
    "[a safe link](https://example.org/safe) and data:text/html,<script>alert(1)</script>",
]

CRISIS_LINES = {
    "GB": [
        {
            "name": "Emergency services",
            "phone": "999",
            "text": None,
            "chat_url": None,
            "hours": "24/7",
            "notes": "If you cannot speak on a mobile: call 999, then press 55.",
        },
        {
            "name": "Refuge National Domestic Abuse Helpline",
            "phone": "0808 2000 247",
            "text": None,
            "chat_url": "https://www.refuge.org.uk/",
            "hours": "24/7",
            "notes": None,
        },
        {
            "name": "Shout",
            "phone": None,
            "text": "text SHOUT to 85258",
            "sms_number": "85258",
            "sms_body": "SHOUT",
            "chat_url": None,
            "hours": "24/7",
            "notes": None,
        },
    ],
    "US": [
        {"name": "Emergency services", "phone": "911", "text": None, "chat_url": None, "hours": "24/7", "notes": None},
        {
            "name": "National Domestic Violence Hotline",
            "phone": "1-800-799-7233 (TTY 1-800-787-3224)",
            "text": "START to 88788",
            "chat_url": "https://www.thehotline.org/",
            "hours": "24/7",
            "notes": None,
        },
        {
            "name": "988 Suicide & Crisis Lifeline",
            "phone": "988",
            "text": "text 988",
            "sms_number": "988",
            "sms_body": None,
            "chat_url": "https://988lifeline.org/",
            "hours": "24/7",
            "notes": None,
        },
        {
            "name": "Find a Helpline",
            "phone": None,
            "text": None,
            "web_url": "https://findahelpline.com/",
            "chat_url": None,
            "hours": None,
            "notes": "Free, confidential helplines by country.",
        },
    ],
}
HOSTILE_CRISIS = {
    "type": "crisis_referral",
    "category": "<b>violence</b>",
    "country": "GB",
    "lines": [
        {
            "name": f'<img src=x onerror="{PWNED}">',
            "phone": "<script>alert(1)</script>",
            "text": "javascript:alert(1)",
            "chat_url": "javascript:alert(1)",
            "hours": "<i>24/7</i>",
            "notes": None,
        },
        {
            "name": "Plain http chat is refused",
            "phone": "116 123",
            "text": None,
            "chat_url": "http://insecure.example/chat",
            "hours": None,
            "notes": None,
        },
        "not a line",
        None,
    ],
}


def bot(text: Optional[str] = None, buttons: Optional[List[dict]] = None, **extra: Any) -> Dict[str, Any]:
    message: Dict[str, Any] = dict(extra)
    if text is not None:
        message["text"] = text
    if buttons:
        message["buttons"] = buttons
    return message


def say(name: str) -> Dict[str, Any]:
    """A domain response as the real assistant sends it (its unconditional variation)."""
    variation = response(name)
    return bot(variation.get("text"), variation.get("buttons"))


def crisis_referral(country: Optional[str]) -> List[Dict[str, Any]]:
    """As utter_crisis_essentials and action_crisis_referral send it, with this server's fixed lines."""
    code = country if country in CRISIS_LINES else "GB"
    lines = "\n".join(f"• {line['name']}" for line in CRISIS_LINES[code])
    return [
        say("utter_crisis_essentials"),
        bot(safety_text("crisis_lines", country_name=country_name(code), lines=lines)),
        bot(
            custom={"type": "crisis_referral", "category": "unspecified", "country": code, "lines": CRISIS_LINES[code]}
        ),
        say("utter_ask_safe_now"),
    ]


def show_step(name: str, places: Dict[str, str], sender: str) -> List[Dict[str, Any]]:
    places[sender] = name
    return [bot(load_path().get(name).text, STEP_BUTTONS)]


def scripted_replies(
    message: str, metadata: Dict[str, Any], places: Dict[str, str], sender: str
) -> List[Dict[str, Any]]:
    """The fake assistant: payloads as the real one's buttons send them, and a few typed phrases.

    `places` is each conversation's step on the guided path (the real assistant's guide_step slot)."""
    lowered = message.lower()
    path = load_path()
    if message == "/greet":
        return [say("utter_intro"), say("utter_privacy_short"), bot(SAFE_TO_CHAT["text"], SAFE_TO_CHAT["buttons"])]
    if message in ("/affirm", "/show_topics"):
        return [bot(TOPICS["text"], TOPICS["buttons"])]
    if message.startswith("/go_to_step"):
        return show_step(parse_go_to_step(message), places, sender)
    if "what is a trauma bond" in lowered:
        return show_step("what_is", places, sender)
    if message == "/tell_more" and sender in places:
        return [bot(path.get(places[sender]).more, AFTER_MORE_BUTTONS)]
    if message == "/continue" and sender in places:
        following = path.next(path.get(places[sender]))
        return show_step(following.name, places, sender) if following else [bot("That's the whole path.")]
    if message == "/help_now" or "help now" in lowered or "hurt me" in lowered:
        return crisis_referral(metadata.get("country"))
    if message == "/restart":
        places.pop(sender, None)
        return [bot("Okay, let's start over.")]
    if lowered == "hostile":
        return [bot(text) for text in HOSTILE_BOT_TEXTS] + [
            bot("Pick one", [{"title": f'<img src=x onerror="{PWNED}">', "payload": "/affirm"}]),
            bot(image=f"javascript:{PWNED}"),
            bot(custom=HOSTILE_CRISIS),
        ]
    return [bot(f"You wrote: {message}")]


class _FakeRasaHandler(BaseHTTPRequestHandler):
    server: FakeRasa.Server

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")  # as `rasa run --cors "*"`
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self) -> None:  # CORS preflight for application/json
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/exit":
            page = "<!doctype html><html lang='en'><title>Weather</title><main><h1>Weather</h1></main></html>"
        else:
            page = "<!doctype html><html lang='en'><title>Before</title><main><h1>A page before</h1></main></html>"
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def do_POST(self) -> None:
        if urlsplit(self.path).path != WEBHOOK:
            return self._send(404, b"{}")
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.owner.received.append({**body, "content_type": self.headers.get("Content-Type", "")})
        message = str(body.get("message", ""))
        if message == "boom":
            return self._send(500, b'{"error": "boom"}')
        if message == "slow":
            time.sleep(3)
        sender = str(body.get("sender", ""))
        replies = scripted_replies(message, body.get("metadata") or {}, self.server.owner.places, sender)
        for reply in replies:
            reply["recipient_id"] = body.get("sender")
        self._send(200, json.dumps(replies).encode())


class FakeRasa:
    """A scripted Rasa REST server on a loopback port; stop() and start() again keep the same port."""

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        owner: FakeRasa

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.received: List[Dict[str, Any]] = []
        self.places: Dict[str, str] = {}  # sender -> step on the guided path
        self._server: Optional[FakeRasa.Server] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeRasa:
        self._server = self.Server(("127.0.0.1", self.port), _FakeRasaHandler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def messages(self, sender: Optional[str] = None) -> List[str]:
        return [r["message"] for r in self.received if sender is None or r.get("sender") == sender]


class _StaticHandler(SimpleHTTPRequestHandler):
    server: StaticSite.Server

    def log_message(self, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/__embed__.html":
            return self._embed_page(dict(parse_qsl(parts.query, keep_blank_values=True)))
        super().do_GET()

    def _embed_page(self, params: Dict[str, str]) -> None:
        csp = params.pop("csp", None)
        attributes = " ".join(f'data-{html.escape(k)}="{html.escape(v)}"' for k, v in params.items())
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'><title>Embed test</title></head>"
            "<body><main><h1>Embed test</h1><p><a href='#top'>A link on the host page</a></p></main>"
            f"<script src='/widget/untangle.js' {attributes}></script></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        self.wfile.write(page)


class StaticSite:
    """Serves a folder (web/) on a loopback port, like `python -m http.server --directory web`."""

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    def __init__(self, root: Path) -> None:
        self._server = self.Server(("127.0.0.1", 0), partial(_StaticHandler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> StaticSite:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
