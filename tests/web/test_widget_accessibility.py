"""axe-core in the page (0 violations), phone size without horizontal scrolling, reduced motion, screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.untangle_assistant import SAFE_YES, TOPIC_WHAT_IS
from tests.web.untangle_widget_helpers import click_choice, crisis_card, open_chat, type_message

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 640}
LONG_WORD = "https://example.org/" + "a-very-long-path-without-spaces-" * 6


def describe(violations) -> str:
    return "\n".join(f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations)


def assert_axe_clean(page, axe) -> None:
    violations = axe(page)
    assert violations == [], describe(violations)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
        " && [...document.querySelectorAll('.ut-root :not(.ut-sr)')]"
        ".every(e => e.getBoundingClientRect().right <= innerWidth + 0.5)"
    )


def have_a_conversation(page) -> None:
    open_chat(page)
    click_choice(page, SAFE_YES)
    click_choice(page, TOPIC_WHAT_IS)
    type_message(page, LONG_WORD)
    page.get_by_role("button", name="Get help now").click()
    expect(crisis_card(page)).to_be_visible()
    page.wait_for_timeout(400)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_demo_page_has_no_axe_violations(page, demo_url, axe, viewport):
    page.set_viewport_size(viewport)
    page.goto(demo_url)
    expect(page.get_by_role("button", name="Quick exit")).to_be_visible()
    assert_axe_clean(page, axe)
    have_a_conversation(page)
    assert_axe_clean(page, axe)


def test_fallback_message_has_no_axe_violations(page, embed_url, dead_url, axe):
    page.goto(embed_url(server=dead_url, emergency="Emergency: 999; Refuge: 0808 2000 247"))
    open_chat(page)
    type_message(page, "hello?")
    expect(page.locator(".ut-fallback")).to_have_count(2)
    assert_axe_clean(page, axe)


def test_phone_size_has_no_horizontal_scrolling(page, demo_url):
    page.set_viewport_size(PHONE)
    page.goto(demo_url)
    expect(page.get_by_role("button", name="Open chat")).to_be_visible()
    assert no_horizontal_scroll(page)
    have_a_conversation(page)
    assert no_horizontal_scroll(page)
    for name in ("Quick exit", "Get help now", "Send"):
        expect(page.get_by_role("button", name=name)).to_be_in_viewport()


def test_controls_are_labelled_and_the_log_is_live(page, embed_url):
    page.goto(embed_url())
    open_chat(page)
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("textbox", name="Type your message")).to_be_focused()
    for name in ("Minimise chat", "Get help now", "Quick exit", "Send"):
        expect(page.get_by_role("button", name=name)).to_be_visible()
    page.get_by_role("button", name="Minimise chat").click()
    expect(page.get_by_role("button", name="Open chat")).to_be_focused()


def test_reduced_motion_stops_the_typing_animation(page, embed_url, fake_rasa):
    page.emulate_media(reduced_motion="reduce")
    page.goto(embed_url(server=fake_rasa.url, greeting="slow"))
    open_chat(page)
    dots = page.locator(".ut-dots i").first
    expect(dots).to_be_attached()
    assert dots.evaluate("d => getComputedStyle(d).animationName") == "none"


def test_screenshots_of_the_demo_page(page, demo_url, artifacts):
    for name, viewport in (("1280x800", DESKTOP), ("360x640", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(demo_url)
        expect(page.get_by_role("button", name="Open chat")).to_be_visible()
        page.screenshot(path=str(artifacts / f"demo-{name}.png"))
        have_a_conversation(page)
        page.screenshot(path=str(artifacts / f"demo-{name}-chat.png"))
        assert (artifacts / f"demo-{name}-chat.png").stat().st_size > 10_000
