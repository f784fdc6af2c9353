"""Against the real trained assistant (UNTANGLE_SERVER_URL, with its action server): skipped when that is unset.

The other browser tests run against the real server too when it is set; these need what only it can do: understand
free text, and pick crisis lines by the country the widget sends.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.untangle_assistant import CONTINUE, SAFE_YES, TELL_MORE, TOPIC_WHAT_IS, step
from tests.web.untangle_widget_helpers import (
    assert_links_safe,
    bot_bubbles,
    click_choice,
    crisis_card,
    latest_choice,
    open_chat,
    type_message,
)

pytestmark = pytest.mark.live


def start(page, url) -> None:
    page.goto(url)
    open_chat(page)
    expect(latest_choice(page, SAFE_YES)).to_be_visible()


def test_live_danger_said_in_passing_gets_the_crisis_card(page, embed_url):
    start(page, embed_url(country="GB"))
    click_choice(page, SAFE_YES)
    click_choice(page, TOPIC_WHAT_IS)
    type_message(page, "honestly he said he'd kill me if i ever left")
    card = crisis_card(page)
    expect(card.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    assert_links_safe(page)


@pytest.mark.parametrize("country, emergency", [("GB", "999"), ("US", "911"), ("AU", "000"), ("NZ", "111")])
def test_live_help_now_lines_follow_the_country_metadata(page, embed_url, country, emergency):
    page.goto(embed_url(country=country, greeting="none"))
    page.get_by_role("button", name="Get help now").click()
    card = crisis_card(page)
    expect(card.get_by_role("link", name=f"Call {emergency}")).to_have_attribute("href", f"tel:{emergency}")
    expect(card.locator('a[href^="sms:"], a[href^="https:"]').first).to_be_visible()  # a way to text or chat


def test_live_us_card_offers_the_hotline_by_text(page, embed_url):
    page.goto(embed_url(country="US", greeting="none"))
    open_chat(page)
    type_message(page, "my boyfriend hit me again last night")
    card = crisis_card(page)
    expect(card.locator('a[href^="sms:88788"]')).to_contain_text("Text START to 88788")


def test_live_typed_questions_move_along_the_guided_path(page, embed_url):
    start(page, embed_url(country="GB"))
    type_message(page, "what is a trauma bond?")
    expect(bot_bubbles(page).last).to_contain_text(step("what_is").text)
    expect(latest_choice(page, TELL_MORE)).to_be_enabled()
    click_choice(page, CONTINUE)
    expect(bot_bubbles(page).last).to_contain_text(step("where_it_happens").text)
    expect(latest_choice(page, CONTINUE)).to_be_enabled()
    type_message(page, "what is love bombing")
    expect(bot_bubbles(page).last).to_contain_text(re.compile("love", re.I))
