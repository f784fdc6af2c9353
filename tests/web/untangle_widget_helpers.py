"""Small page helpers for the widget's browser tests (what a person sees and does)."""

from __future__ import annotations

import json
import re
from typing import Any, List

from playwright.sync_api import Locator, Page, expect

from tests.web.untangle_web_servers import LIVE_URL  # noqa: F401  (re-exported for the tests)

SAFE_HREF = r"^(https?://|tel:\+?\d+$|sms:\+?\d+(\?body=[^\s]*)?$)"


def open_chat(page: Page) -> None:
    page.get_by_role("button", name="Open chat").click()
    expect(page.get_by_role("log", name="Conversation")).to_be_visible()


def latest_choice(page: Page, title: str) -> Locator:
    """The reply button with this title in the newest group of reply options."""
    return page.locator(".ut-choices").last.get_by_role("button", name=title, exact=True)


def click_choice(page: Page, title: str) -> None:
    button = latest_choice(page, title)
    expect(button).to_be_enabled()
    button.click()


def record_sent(page: Page) -> List[dict]:
    """The JSON bodies the page posts to the Rasa webhook, in order (works whichever server answers)."""
    sent: List[dict] = []

    def on_request(request: Any) -> None:
        if request.method == "POST" and request.url.endswith("/webhooks/rest/webhook") and request.post_data:
            sent.append(json.loads(request.post_data))

    page.on("request", on_request)
    return sent


def type_message(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Type your message")
    box.fill(text)
    box.press("Enter")


def user_bubbles(page: Page) -> Locator:
    return page.locator(".ut-msg.ut-user")


def bot_bubbles(page: Page) -> Locator:
    return page.locator(".ut-msg.ut-bot")


def crisis_card(page: Page) -> Locator:
    return page.locator(".ut-card").last


def storage_snapshot(page: Page) -> dict:
    return page.evaluate(
        """async () => ({
            local: Object.keys(localStorage),
            session: Object.keys(sessionStorage),
            cookie: document.cookie,
            indexedDB: (await indexedDB.databases()).map(db => db.name),
            caches: await caches.keys(),
        })"""
    )


def assert_no_script_ran(page: Page, watch: Any) -> None:
    assert page.evaluate("window.__pwned") is None, "hostile text ran code"
    assert watch.dialogs == [], f"a dialog opened: {watch.dialogs}"
    assert watch.errors == [], f"page errors: {watch.errors}"


def assert_links_safe(page: Page) -> None:
    """Every anchor in the widget is http(s)/tel/sms; web links open a new tab without opener or referrer."""
    links = page.locator(".ut-root a").evaluate_all(
        "links => links.map(a => ({href: a.getAttribute('href'), target: a.target, rel: a.rel}))"
    )
    for item in links:
        assert re.match(SAFE_HREF, item["href"]), item
        if item["href"].startswith("http"):
            assert item["target"] == "_blank" and set(item["rel"].split()) >= {"noopener", "noreferrer"}, item


def what_is_on_screen(page: Page) -> dict:
    """Whether the widget and the conversation's words are still in the page, and whether the page shows at all."""
    return page.evaluate(
        """() => ({
            widget: document.querySelectorAll('.ut-root').length,
            chatText: document.body.textContent.includes('trauma bond'),
            visibility: getComputedStyle(document.documentElement).visibility,
        })"""
    )
