"""A whole conversation in the widget, by clicks and by keyboard, the crisis card, hostile text and the fallback.

These run against UNTANGLE_SERVER_URL when set, otherwise against the scripted fake (which follows
docs/conversation.md with the real button titles and texts, read by untangle_assistant.py); what only the fake can
do (hostile replies, fixed crisis lines, errors, a server that comes back) uses `fake_rasa` explicitly.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.untangle_assistant import CONTINUE, HELP_NOW, PAYLOADS, SAFE_YES, TELL_MORE, TOPIC_WHAT_IS, step
from tests.web.untangle_web_servers import HOSTILE_BOT_TEXTS, FakeRasa
from tests.web.untangle_widget_helpers import (
    LIVE_URL,
    assert_links_safe,
    assert_no_script_ran,
    bot_bubbles,
    click_choice,
    crisis_card,
    latest_choice,
    open_chat,
    record_sent,
    type_message,
    user_bubbles,
)

HOSTILE_USER_TEXTS = [
    '<img src=x onerror="window.__pwned = 1">',
    "<script>window.__pwned = 2</script>",
    "javascript:alert(document.domain)",
]


def test_conversation_by_clicks_reaches_the_crisis_card(page, demo_url, fake_rasa, watch):
    start = len(fake_rasa.received)
    sent_by_page = record_sent(page)
    page.goto(demo_url)
    open_chat(page)
    expect(bot_bubbles(page).first).to_be_visible()

    click_choice(page, SAFE_YES)
    expect(user_bubbles(page).last).to_contain_text(SAFE_YES)
    expect(page.locator(".ut-choices").first.get_by_role("button", name=SAFE_YES, exact=True)).to_be_disabled()
    click_choice(page, TOPIC_WHAT_IS)
    expect(bot_bubbles(page).last).to_contain_text(step("what_is").text)
    click_choice(page, TELL_MORE)
    expect(bot_bubbles(page).last).to_contain_text(step("what_is").more)
    click_choice(page, CONTINUE)
    expect(bot_bubbles(page).last).to_contain_text(step("where_it_happens").text)
    click_choice(page, HELP_NOW)

    card = crisis_card(page)
    expect(card).to_be_visible()
    expect(card.locator('a[href^="tel:"]').first).to_contain_text(re.compile(r"^Call \+?\d"))
    assert_links_safe(page)
    assert_no_script_ran(page, watch)
    expect(user_bubbles(page)).to_have_count(5)
    clicked = [SAFE_YES, TOPIC_WHAT_IS, TELL_MORE, CONTINUE, HELP_NOW]
    assert [r["message"] for r in sent_by_page] == ["/greet"] + [PAYLOADS[title] for title in clicked]
    assert {r["metadata"]["country"] for r in sent_by_page} == {"GB"}, "the country goes with every message"
    assert len({r["sender"] for r in sent_by_page}) == 1
    if not LIVE_URL:
        sent = fake_rasa.received[start:]
        assert [r["message"] for r in sent] == [
            "/greet",
            "/affirm",
            '/go_to_step{"step": "what_is"}',
            "/tell_more",
            "/continue",
            "/help_now",
        ]
        assert {r["metadata"]["country"] for r in sent} == {"GB"}, "the country goes with every message"
        assert len({r["sender"] for r in sent}) == 1
        assert re.fullmatch(r"[0-9a-f-]{36}", sent[0]["sender"]), "sender id is a random UUID"


def test_conversation_by_typing_with_the_keyboard_alone(page, embed_url, watch):
    page.goto(embed_url(country="GB"))
    page.locator("main a").focus()
    for _ in range(6):  # host link -> Quick exit -> Get help now -> Open chat
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Open chat":
            break
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Type your message")
    expect(box).to_be_focused()
    expect(latest_choice(page, SAFE_YES)).to_be_enabled()

    page.keyboard.type("What is a trauma bond?")
    page.keyboard.press("Enter")
    expect(user_bubbles(page).last).to_contain_text("What is a trauma bond?")
    expect(box).to_have_value("")
    expect(bot_bubbles(page).last).to_contain_text(step("what_is").text)
    continue_button = latest_choice(page, CONTINUE)
    expect(continue_button).to_be_enabled()

    for _ in range(8):  # back from the text box through the reply options, by keyboard
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == CONTINUE:
            break
    expect(continue_button).to_be_focused()
    shadow = continue_button.evaluate("b => getComputedStyle(b).boxShadow")
    assert shadow != "none", "focus is visible"
    page.keyboard.press("Enter")
    expect(user_bubbles(page).last).to_contain_text(CONTINUE)
    expect(bot_bubbles(page).last).to_contain_text(step("where_it_happens").text)
    expect(box).to_be_focused()

    page.keyboard.type("I need help now")
    page.keyboard.press("Enter")
    expect(crisis_card(page).locator('a[href^="tel:"]').first).to_be_visible()
    assert_no_script_ran(page, watch)


def test_crisis_card_has_call_text_and_chat_buttons(page, embed_url, fake_rasa, watch):
    page.goto(embed_url(server=fake_rasa.url, country="GB", greeting="none"))
    page.get_by_role("button", name="Get help now").click()
    card = crisis_card(page)
    expect(card).to_have_attribute("data-country", "GB")
    expect(card.get_by_role("heading", name="Help you can reach now")).to_be_visible()

    call = card.get_by_role("link", name="Call 0808 2000 247")
    expect(call).to_have_attribute("href", "tel:08082000247")
    expect(card.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    text = card.get_by_role("link", name="Text SHOUT to 85258")
    expect(text).to_have_attribute("href", "sms:85258?body=SHOUT")
    chat = card.get_by_role("link", name=re.compile("^Chat online"))
    expect(chat).to_have_attribute("href", "https://www.refuge.org.uk/")
    expect(card).to_contain_text("If you cannot speak on a mobile: call 999, then press 55.")
    assert call.bounding_box()["height"] >= 44, "call buttons are large"

    call.click()  # a tel: link hands over to the phone app; the chat stays where it was
    text.click()
    expect(card).to_be_visible()
    assert page.url.startswith(embed_url(server=fake_rasa.url).split("?")[0])
    assert_links_safe(page)
    assert_no_script_ran(page, watch)


def test_crisis_card_follows_the_country(page, embed_url, fake_rasa):
    page.goto(embed_url(server=fake_rasa.url, country="us", greeting="none"))
    page.get_by_role("button", name="Get help now").click()
    card = crisis_card(page)
    expect(card.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(card.get_by_role("link", name="Call 1-800-799-7233")).to_have_attribute("href", "tel:18007997233")
    expect(card.get_by_role("link", name="Text START to 88788")).to_have_attribute("href", "sms:88788?body=START")
    expect(card).to_contain_text("Phone: 1-800-799-7233 (TTY 1-800-787-3224)")
    expect(card.get_by_role("link", name="Text 988", exact=True)).to_have_attribute("href", "sms:988")
    expect(card.get_by_role("link", name=re.compile("^Visit website"))).to_have_attribute(
        "href", "https://findahelpline.com/"
    )
    expect(card).not_to_contain_text("Text: text 988")  # said by its button already
    assert fake_rasa.received[-1]["metadata"] == {"country": "US"}


def test_hostile_user_text_shows_as_text(page, embed_url, watch):
    page.goto(embed_url())
    open_chat(page)
    for text in HOSTILE_USER_TEXTS:
        type_message(page, text)
        expect(user_bubbles(page).last).to_contain_text(text)
    expect(user_bubbles(page)).to_have_count(len(HOSTILE_USER_TEXTS))
    page.wait_for_timeout(500)
    assert page.locator(".ut-root img, .ut-root script").count() == 0
    assert page.locator(".ut-user a").count() == 0, "the person's own text is never turned into links"
    assert_links_safe(page)
    assert_no_script_ran(page, watch)


def test_hostile_bot_text_shows_as_text_and_runs_nothing(page, embed_url, fake_rasa, watch):
    page.goto(embed_url(server=fake_rasa.url, greeting="hostile", open="true"))
    card = crisis_card(page)
    expect(card).to_be_visible()
    for text in HOSTILE_BOT_TEXTS[:2]:
        expect(bot_bubbles(page).filter(has_text=text)).to_have_count(1)
    expect(bot_bubbles(page).filter(has_text="[tap here](javascript:alert(1))")).to_have_count(1)
    safe = page.get_by_role("link", name=re.compile("^a safe link"))
    expect(safe).to_have_attribute("href", "https://example.org/safe")
    expect(latest_choice(page, '<img src=x onerror="window.__pwned = (window.__pwned || 0) + 1">')).to_be_visible()

    assert page.locator(".ut-root img, .ut-root script, .ut-root b, .ut-root i").count() == 0
    expect(card.get_by_role("link", name="Call 116 123")).to_be_visible()
    expect(card).to_contain_text("Phone: <script>alert(1)</script>")  # not a number: shown, not linked
    assert card.locator('a[href^="tel:"]').count() == 1
    assert card.locator(".ut-chat").count() == 0, "javascript: and plain-http chat links are refused"
    expect(card).to_contain_text("<img src=x onerror=")
    latest_choice(page, '<img src=x onerror="window.__pwned = (window.__pwned || 0) + 1">').click()
    page.wait_for_timeout(300)
    assert_links_safe(page)
    assert_no_script_ran(page, watch)


def test_fallback_shows_the_page_numbers_when_the_server_is_stopped(page, embed_url, dead_url, watch):
    page.goto(embed_url(server=dead_url, emergency="Emergency: 999; Refuge: 0808 2000 247"))
    open_chat(page)
    fallback = page.locator(".ut-fallback").last
    expect(fallback).to_contain_text("cannot be reached")
    expect(fallback.get_by_role("link", name="Emergency: 999")).to_have_attribute("href", "tel:999")
    expect(fallback.get_by_role("link", name="Refuge: 0808 2000 247")).to_have_attribute("href", "tel:08082000247")
    expect(fallback.get_by_role("button", name="Try again")).to_be_visible()

    type_message(page, "are you there?")
    bubble = user_bubbles(page).last
    expect(bubble).to_contain_text("are you there?")
    expect(bubble).to_contain_text("Not sent")
    expect(bubble.get_by_role("button", name=re.compile("^Retry"))).to_be_visible()
    assert_no_script_ran(page, watch)


def test_fallback_without_configured_numbers_still_points_to_emergency_help(page, embed_url, dead_url):
    page.goto(embed_url(server=dead_url))
    open_chat(page)
    expect(page.locator(".ut-fallback").last).to_contain_text("call your local emergency number")


def test_retry_sends_the_kept_message_when_the_server_is_back(page, embed_url):
    server = FakeRasa().start()
    try:
        page.goto(embed_url(server=server.url))
        open_chat(page)
        expect(latest_choice(page, SAFE_YES)).to_be_visible()
        server.stop()
        type_message(page, "hello again")
        expect(user_bubbles(page).last).to_contain_text("Not sent")
        server.start()
        user_bubbles(page).last.get_by_role("button", name=re.compile("^Retry")).click()
        expect(bot_bubbles(page).last).to_contain_text("You wrote: hello again")
        expect(user_bubbles(page).last).not_to_contain_text("Not sent")
        expect(page.locator(".ut-fallback")).to_have_count(0)
        assert server.messages()[-1] == "hello again"
    finally:
        server.stop()


def test_server_errors_and_timeouts_show_the_fallback(page, embed_url, fake_rasa):
    # No greeting: on a busy machine it could take longer than the 1 s timeout and add a fallback of its own.
    page.goto(embed_url(server=fake_rasa.url, timeout="1", emergency="Emergency: 112", greeting="none"))
    open_chat(page)
    type_message(page, "boom")
    expect(page.locator(".ut-fallback")).to_have_count(1)
    expect(page.locator(".ut-fallback").get_by_role("link", name="Emergency: 112")).to_be_visible()
    type_message(page, "slow")
    expect(page.locator(".ut-fallback")).to_have_count(2, timeout=5_000)
    expect(user_bubbles(page).filter(has_text="Not sent")).to_have_count(2)
