"""Quick exit (button and Esc twice), no trace on the device, session persistence only on request, strict CSP."""

from __future__ import annotations

import gzip
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.web.untangle_assistant import CONTINUE, SAFE_YES, TOPIC_WHAT_IS
from tests.web.untangle_widget_helpers import (
    assert_no_script_ran,
    click_choice,
    latest_choice,
    open_chat,
    storage_snapshot,
    type_message,
    what_is_on_screen,
)

WIDGET = Path(__file__).resolve().parents[2] / "web" / "widget"
EMPTY = {"local": [], "session": [], "cookie": "", "indexedDB": [], "caches": []}


def talk_a_little(page) -> None:
    open_chat(page)
    click_choice(page, SAFE_YES)
    expect(latest_choice(page, TOPIC_WHAT_IS)).to_be_enabled()
    type_message(page, "What is a trauma bond?")
    expect(latest_choice(page, CONTINUE)).to_be_enabled()


def senders_of(fake_rasa, start: int) -> set:
    return {r["sender"] for r in fake_rasa.received[start:]}


def wait_for_restarts(fake_rasa, start: int, timeout_s: float = 10) -> list:
    """The /restart requests the server has had since `start`, once there is one (sent with keepalive, it can land
    after the page has left) or after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        restarts = [r for r in fake_rasa.received[start:] if r["message"] == "/restart"]
        if restarts or time.monotonic() > deadline:
            return restarts
        time.sleep(0.05)


def test_widget_fits_the_size_budget():
    files = [WIDGET / "untangle.js", WIDGET / "untangle.css"]
    size = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)
    assert size <= 15 * 1024, f"{size} bytes gzipped"


def quick_exit(page, how: str) -> None:
    if how == "button":
        page.get_by_role("button", name="Quick exit").click()
    else:
        page.get_by_role("textbox", name="Type your message").focus()
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")


@pytest.mark.parametrize("how", ["button", "keyboard"])
def test_quick_exit_replaces_the_page_and_ends_the_conversation(page, embed_url, fake_rasa, how):
    exit_url = f"{fake_rasa.url}/exit"
    before_url = f"{fake_rasa.url}/"
    page.goto(before_url)
    page.goto(embed_url(server=fake_rasa.url, exit_url=exit_url))
    start = len(fake_rasa.received)
    talk_a_little(page)

    quick_exit(page, how)
    page.wait_for_url(exit_url)
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    restarts = wait_for_restarts(fake_rasa, start)
    assert len(restarts) == 1, "the conversation is ended on the server"
    assert restarts[0]["sender"] in senders_of(fake_rasa, start) and len(senders_of(fake_rasa, start)) == 1
    assert restarts[0]["content_type"].startswith("text/plain"), "a simple request that survives the page"
    page.go_back()
    page.wait_for_load_state()
    assert page.url == before_url, "Back skips the page with the chat"


@pytest.mark.parametrize("how", ["button", "keyboard"])
def test_quick_exit_clears_the_chat_at_once_even_if_the_exit_page_never_comes(page, embed_url, fake_rasa, how):
    exit_url = f"{fake_rasa.url}/exit"
    # 204 No Content: the browser stays on the page it was leaving, so the test sees what the quick exit left there.
    page.route(exit_url, lambda route: route.fulfill(status=204))
    page.goto(embed_url(server=fake_rasa.url, exit_url=exit_url))
    start = len(fake_rasa.received)
    talk_a_little(page)
    assert what_is_on_screen(page) == {"widget": 1, "chatText": True, "visibility": "visible"}

    quick_exit(page, how)
    assert len(wait_for_restarts(fake_rasa, start)) == 1, "the quick exit ran (it ends the conversation last)"
    assert what_is_on_screen(page) == {"widget": 0, "chatText": False, "visibility": "hidden"}, "nothing left to see"


def test_quick_exit_works_while_the_chat_is_closed(page, embed_url, fake_rasa):
    page.goto(embed_url(exit_url=f"{fake_rasa.url}/exit"))
    expect(page.get_by_role("button", name="Quick exit")).to_be_visible()
    page.locator("main a").focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{fake_rasa.url}/exit")


def test_single_escape_presses_do_not_exit(page, embed_url, fake_rasa):
    page.goto(embed_url(exit_url=f"{fake_rasa.url}/exit"))
    open_chat(page)
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert "__embed__" in page.url
    page.keyboard.press("Escape")  # the second press within a second
    page.wait_for_url(f"{fake_rasa.url}/exit")


def test_nothing_is_stored_on_the_device(page, context, embed_url, site, rasa_url, watch):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(embed_url(country="GB"))
    talk_a_little(page)
    page.get_by_role("button", name="Get help now").click()
    expect(page.locator(".ut-card")).to_be_visible()

    assert storage_snapshot(page) == EMPTY
    assert context.cookies() == []
    origins = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in requested}
    assert origins <= {site.url, rasa_url}, f"no request to anyone else: {origins}"
    assert_no_script_ran(page, watch)
    autocomplete = page.locator("form.ut-form").get_attribute("autocomplete")
    assert autocomplete == "off", "typed messages do not go into the browser's form history"


def test_session_persistence_is_opt_in_and_quick_exit_forgets_it(page, embed_url, fake_rasa):
    url = embed_url(server=fake_rasa.url, persist="session", exit_url=f"{fake_rasa.url}/exit")
    page.goto(url)
    assert storage_snapshot(page)["session"] == []
    start = len(fake_rasa.received)
    open_chat(page)
    expect(latest_choice(page, SAFE_YES)).to_be_visible()
    assert storage_snapshot(page)["session"] == ["untangle.sender"]
    assert storage_snapshot(page)["local"] == [] and storage_snapshot(page)["cookie"] == ""

    page.reload()
    open_chat(page)
    expect(latest_choice(page, SAFE_YES)).to_be_visible()
    assert len(senders_of(fake_rasa, start)) == 1, "the same conversation goes on after a reload"

    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url(f"{fake_rasa.url}/exit")
    assert fake_rasa.received[-1]["message"] == "/restart"
    page.goto(url)
    assert storage_snapshot(page)["session"] == [], "quick exit removes the kept sender id"


def test_runs_under_a_strict_content_security_policy(page, embed_url, fake_rasa, watch):
    csp = (
        f"default-src 'none'; script-src 'self'; style-src 'self'; connect-src {fake_rasa.url}; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.goto(embed_url(server=fake_rasa.url, csp=csp, accent="#ffd23f", country="GB"))
    talk_a_little(page)
    page.get_by_role("button", name="Get help now").click()
    expect(page.locator(".ut-card")).to_be_visible()
    assert page.evaluate("window.__csp || []") == []
    launcher_text = page.locator(".ut-send").evaluate("b => getComputedStyle(b).color")
    assert launcher_text == "rgb(17, 17, 17)", "dark text is picked for a light accent colour"
    assert_no_script_ran(page, watch)


def test_configuration_attributes(page, embed_url, fake_rasa):
    page.goto(embed_url(server=fake_rasa.url, title="Talk it through", open="true", greeting="/affirm", css="none"))
    expect(page.get_by_role("heading", name="Talk it through")).to_be_visible()
    expect(latest_choice(page, TOPIC_WHAT_IS)).to_be_visible()
    assert page.locator("link[href$='untangle.css']").count() == 0
    sent = fake_rasa.received[-1]
    assert sent["message"] == "/affirm" and sent["metadata"] == {}
    assert sent["content_type"].startswith("application/json")
