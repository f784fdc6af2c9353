"""The two levels of a crisis referral in the widget (docs/safety.md, "Two levels" and "The referral").

Urgent: the country's emergency number first, as a call button the person sees without scrolling, at desktop and
phone size; the lines once, as the card. Check-in: the reply, one line and a compact card. The card replaces only
the text list it names (`lines_text`), never a text that merely looks the same. The fake server is scripted here
with the real assistant's texts (domain.yml, actions/safety/texts.yml); the `live` tests ask the trained model.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

import pytest
from playwright.sync_api import expect

from tests.replies import domain
from tests.web import untangle_web_servers
from tests.web.untangle_assistant import SAFE_YES, country_name, response, safety_text, step
from tests.web.untangle_web_servers import CRISIS_LINES, bot, say
from tests.web.untangle_widget_helpers import (
    assert_links_safe,
    assert_no_script_ran,
    bot_bubbles,
    latest_choice,
    open_chat,
    type_message,
)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 640}
URGENT_MESSAGE = "i want to kill myself"
CHECK_IN_MESSAGE = "he used to hit me years ago, why do i keep going back"
REPEAT_MESSAGE = "say that twice"
LIST_AGAIN_MESSAGE = "can i have the numbers as text"
SAFE_NOW = response("utter_ask_safe_now")  # "Are you safe right now?" and its buttons
LINES_HEADING = "Free, confidential support in"  # how crisis_lines starts: the text list the card stands for


# ---------- what the fake assistant sends (the real texts, the fake's fixed lines) ----------


def essentials(code: str) -> str:
    """utter_crisis_essentials as sent for a widget in this country: its first line is the call link."""
    for variation in domain()["responses"]["utter_crisis_essentials"]:
        conditions = variation.get("condition") or []
        if {"type": "slot", "name": "widget_country", "value": code} in conditions:
            return variation["text"]
    raise AssertionError(f"utter_crisis_essentials has no variation for widget_country {code}")


def lines_as_text(code: str) -> str:
    """The lines as the text message (crisis_lines) that send_lines sends before the payload."""
    described = []
    for line in CRISIS_LINES[code]:
        ways = [f"call {line['phone']}"] if line["phone"] else []
        ways += [line["text"]] if line["text"] else []
        described.append(f"• {line['name']}: {', '.join(ways)}" if ways else f"• {line['name']}")
    return safety_text("crisis_lines", country_name=country_name(code), lines="\n".join(described))


def lines_and_card(code: str, level: str) -> List[Dict[str, Any]]:
    text = lines_as_text(code)
    return [
        bot(text),
        bot(
            custom={
                "type": "crisis_referral",
                "level": level,
                "lines_text": text,
                "category": "self_harm",
                "country": code,
                "lines": CRISIS_LINES[code],
            }
        ),
    ]


def urgent_referral(metadata: Dict[str, Any]) -> List[Dict[str, Any]]:
    code = metadata.get("country") or "GB"
    return [
        bot(essentials(code)),
        bot(safety_text("crisis_framing_self")),
        *lines_and_card(code, "urgent"),
        say("utter_ask_safe_now"),
    ]


def check_in(metadata: Dict[str, Any]) -> List[Dict[str, Any]]:
    code = metadata.get("country") or "GB"
    return [bot(step("why_hard_to_leave").text), bot(safety_text("check_in_self")), *lines_and_card(code, "check_in")]


UNKNOWN_COUNTRY_MESSAGE = "i want to die, no country given"
COUNTRY_BUTTONS = [
    {"title": "UK", "payload": '/inform_country{"country": "GB"}'},
    {"title": "US", "payload": '/inform_country{"country": "US"}'},
]


def unknown_country_referral(metadata: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The lines for an unknown country come as a text with country buttons, then the card."""
    text = lines_as_text("GB")
    return [
        dict(bot(text), buttons=COUNTRY_BUTTONS),
        bot(
            custom={
                "type": "crisis_referral",
                "level": "urgent",
                "lines_text": text,
                "category": "self_harm",
                "country": None,
                "lines": CRISIS_LINES["GB"],
            }
        ),
    ]


SCRIPT = {
    UNKNOWN_COUNTRY_MESSAGE: unknown_country_referral,
    URGENT_MESSAGE: urgent_referral,
    CHECK_IN_MESSAGE: check_in,
    # Texts equal to other texts, but named by no card in their reply: all must be shown.
    REPEAT_MESSAGE: lambda metadata: [bot(safety_text("check_in_self")), bot(safety_text("check_in_self"))],
    LIST_AGAIN_MESSAGE: lambda metadata: [bot(lines_as_text(metadata.get("country") or "GB"))],
}


@pytest.fixture
def levels_rasa(fake_rasa, monkeypatch):
    """The session's fake server, answering this file's messages as the real assistant does; others as usual."""
    usual = untangle_web_servers.scripted_replies

    def scripted(message: str, metadata: Dict[str, Any], places: Dict[str, str], sender: str):
        if message in SCRIPT:
            return SCRIPT[message](metadata)
        return usual(message, metadata, places, sender)

    monkeypatch.setattr(untangle_web_servers, "scripted_replies", scripted)
    return fake_rasa


# ---------- what the person sees ----------


def start_chat(page, url: str) -> None:
    page.goto(url)
    open_chat(page)
    expect(latest_choice(page, SAFE_YES)).to_be_visible()  # the greeting is there: the log has a history


def emergency_call(page, number: str):
    """The call button for the emergency number in the essentials bubble (a tel: link in a bot bubble)."""
    return page.locator(f'.ut-msg.ut-bot a.ut-call[href="tel:{number}"]')


def assert_in_view_without_scrolling(page, target) -> None:
    """Wholly inside the window and the chat log's visible part, and not covered by anything."""
    expect(target).to_be_in_viewport(ratio=1)
    box = target.bounding_box()
    log = page.locator(".ut-log").bounding_box()
    window = page.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= window["width"] and box["y"] + box["height"] <= window["height"], (box, window)
    assert log["y"] <= box["y"] and box["y"] + box["height"] <= log["y"] + log["height"], (box, log)
    centre_is_it = target.evaluate(
        """a => { const r = a.getBoundingClientRect();
                  return a.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"""
    )
    assert centre_is_it, "something covers the call button"


def assert_styled_as_call_button(target) -> None:
    style = target.evaluate("a => { const s = getComputedStyle(a); return [s.display, s.backgroundColor]; }")
    assert style[0] == "flex", f"a button of its own line, not a link in the text: {style}"
    assert style[1] not in ("rgba(0, 0, 0, 0)", "transparent"), f"filled like the card's call buttons: {style}"
    assert target.bounding_box()["height"] >= 44, "a large target"


def after_last_user_message(page) -> List[str]:
    """What the log shows after the person's last message: each bubble's text (without the sender), or "card"."""
    return page.locator(".ut-log").evaluate(
        """log => { const all = [...log.children], from = all.findLastIndex(n => n.matches('.ut-user'));
                    return all.slice(from + 1).map(n => n.matches('.ut-card') ? 'card'
                        : [...n.childNodes].filter(c => !(c.classList && c.classList.contains('ut-sr')))
                                           .map(c => c.textContent).join('')); }"""
    )


def log_text(page) -> str:
    return page.locator(".ut-log").inner_text()


def text_list_bubbles(page):
    return bot_bubbles(page).filter(has_text=LINES_HEADING)


# ---------- urgent ----------


@pytest.mark.parametrize("name, viewport", [("desktop", DESKTOP), ("phone", PHONE)], ids=["desktop", "phone"])
def test_urgent_referral_shows_the_emergency_call_button_in_view(
    page, embed_url, levels_rasa, watch, artifacts, name, viewport
):
    page.set_viewport_size(viewport)
    start_chat(page, embed_url(server=levels_rasa.url, country="GB"))
    type_message(page, URGENT_MESSAGE)
    expect(latest_choice(page, SAFE_NOW["buttons"][0]["title"])).to_be_visible()
    assert page.locator(".ut-log").evaluate("log => log.scrollHeight > log.clientHeight"), (
        "the conversation is longer than the log, so the reply had to be scrolled to"
    )

    call = emergency_call(page, "999")
    expect(call).to_have_count(1)
    expect(call).to_have_text("Call 999")
    assert_styled_as_call_button(call)
    assert_in_view_without_scrolling(page, call)

    card = page.locator(".ut-card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-level", "urgent")
    expect(card).not_to_have_class(re.compile(r"\but-card-compact\b"))
    expect(card.get_by_role("heading", name="Help you can reach now")).to_be_visible()
    expect(text_list_bubbles(page)).to_have_count(0)
    for line in CRISIS_LINES["GB"]:
        assert log_text(page).count(line["name"]) == 1, f"{line['name']} is shown once, in the card"
    expect(bot_bubbles(page).filter(has_text=safety_text("crisis_framing_self"))).to_have_count(1)
    assert_links_safe(page)
    assert_no_script_ran(page, watch)

    page.screenshot(path=str(artifacts / f"urgent-{name}.png"))
    assert (artifacts / f"urgent-{name}.png").stat().st_size > 10_000


# ---------- check-in ----------


def test_check_in_shows_the_reply_and_a_compact_card(page, embed_url, levels_rasa, watch):
    start_chat(page, embed_url(server=levels_rasa.url, country="GB"))
    type_message(page, CHECK_IN_MESSAGE)

    card = page.locator(".ut-card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-level", "check_in")
    expect(card).to_have_class(re.compile(r"\but-card-compact\b"))
    expect(card.get_by_role("heading", name="Free, confidential lines")).to_be_visible()
    assert after_last_user_message(page) == [step("why_hard_to_leave").text, safety_text("check_in_self"), "card"]
    expect(card.locator(".ut-line-details")).to_have_count(0)
    expect(card).not_to_contain_text("press 55")  # the details (notes, hours) are left out
    expect(text_list_bubbles(page)).to_have_count(0)
    expect(page.get_by_text(SAFE_NOW["text"])).to_have_count(0)
    expect(emergency_call(page, "999")).to_have_count(0)

    call = card.get_by_role("link", name="Call 0808 2000 247")
    expect(call).to_have_attribute("href", "tel:08082000247")
    expect(card.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    chat = card.get_by_role("link", name=re.compile("^Chat online"))
    assert abs(call.bounding_box()["y"] - chat.bounding_box()["y"]) < 1, "a line's buttons sit side by side"
    assert call.bounding_box()["height"] >= 44, "still a large target"
    call.click()  # a tel: link hands over to the phone app; the chat stays where it was
    expect(card).to_be_visible()
    assert page.url.startswith(embed_url(server=levels_rasa.url).split("?")[0])
    assert_links_safe(page)
    assert_no_script_ran(page, watch)


# ---------- a text the card does not name ----------


def test_texts_no_card_names_are_never_hidden(page, embed_url, levels_rasa):
    start_chat(page, embed_url(server=levels_rasa.url, country="GB"))
    type_message(page, REPEAT_MESSAGE)  # two equal texts, no card
    expect(bot_bubbles(page).filter(has_text=safety_text("check_in_self"))).to_have_count(2)

    type_message(page, CHECK_IN_MESSAGE)  # the card hides its own text list ...
    expect(page.locator(".ut-card")).to_have_count(1)
    expect(text_list_bubbles(page)).to_have_count(0)
    type_message(page, LIST_AGAIN_MESSAGE)  # ... but not the same text in a later reply that has no card
    expect(text_list_bubbles(page)).to_have_count(1)
    expect(text_list_bubbles(page)).to_contain_text("Refuge National Domestic Abuse Helpline: call 0808 2000 247")
    expect(page.locator(".ut-card")).to_have_count(1)
    expect(bot_bubbles(page).filter(has_text=safety_text("check_in_self"))).to_have_count(3)


# ---------- the trained assistant ----------


@pytest.mark.live
def test_live_past_violence_gets_the_reply_and_a_check_in_card(page, embed_url):
    start_chat(page, embed_url(country="GB"))
    type_message(page, CHECK_IN_MESSAGE)
    card = page.locator(".ut-card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-level", "check_in")
    expect(card).to_have_class(re.compile(r"\but-card-compact\b"))
    expect(card.locator('a[href^="tel:"]').first).to_be_visible()
    answer = after_last_user_message(page)
    assert answer[-2:] == [safety_text("check_in_self"), "card"], answer
    assert len(answer) >= 3 and all(text != "card" for text in answer[:-2]), "the reply came first"
    expect(text_list_bubbles(page)).to_have_count(0)
    expect(page.get_by_text(SAFE_NOW["text"])).to_have_count(0)


@pytest.mark.live
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_live_wanting_to_die_gets_the_999_call_button_in_view(page, embed_url, viewport):
    page.set_viewport_size(viewport)
    start_chat(page, embed_url(country="GB"))
    type_message(page, URGENT_MESSAGE)
    call = emergency_call(page, "999")
    expect(call).to_have_count(1)
    expect(page.locator(".ut-card").last).to_have_attribute("data-level", "urgent")
    assert_styled_as_call_button(call)
    assert_in_view_without_scrolling(page, call)
    expect(text_list_bubbles(page)).to_have_count(0)
    assert_links_safe(page)


def test_an_unknown_country_keeps_its_country_buttons_but_shows_the_lines_once(page, embed_url, levels_rasa):
    start_chat(page, embed_url(server=levels_rasa.url))
    type_message(page, UNKNOWN_COUNTRY_MESSAGE)
    expect(page.locator('.ut-card[data-level="urgent"]')).to_have_count(1)
    expect(latest_choice(page, "UK")).to_be_visible()
    assert LINES_HEADING not in " ".join(after_last_user_message(page))
