from pathlib import Path

import pytest
import rasa.cli.scaffold

from bench.conversations import DOMAIN_FILE, Turn, reply_problem, response_texts, scripts_for

STOCK_DOMAIN = Path(rasa.cli.scaffold.__file__).parent / "initial_project" / "domain.yml"


def test_untangle_conversations_open_with_the_intro_and_crisis_turns_expect_the_referral():
    scripts = scripts_for("untangle")
    intro = response_texts(DOMAIN_FILE, "utter_intro")
    crisis = response_texts(DOMAIN_FILE, "utter_crisis_essentials")
    assert intro and crisis and all("Thank you for telling me" in text for text in crisis)
    for conversation in scripts["multi_turn"]:
        assert len(conversation) >= 5
        assert conversation[0].expect_any_of == intro
        assert all(turn.expect_any_of is None for turn in conversation[1:])
    assert scripts["crisis"] and all(len(c) == 1 and c[0].expect_any_of == crisis for c in scripts["crisis"])


def test_stock_conversations_expect_the_moodbot_greeting_and_its_bot_rule():
    scripts = scripts_for("stock", STOCK_DOMAIN)
    assert {turn.expect_any_of for c in scripts["multi_turn"] for turn in c[:1]} == {frozenset({"Hey! How are you?"})}
    assert {c[0].expect_any_of for c in scripts["crisis"]} == {frozenset({"I am a bot, powered by Rasa."})}


def test_an_unknown_bot_is_refused():
    with pytest.raises(ValueError):
        scripts_for("other")


def test_reply_problem():
    plain, crisis = Turn("hi"), Turn("he will kill me", frozenset({"Call 112"}))
    assert reply_problem(plain, [{"text": "hello"}]) is None
    assert reply_problem(plain, [{"image": "x.png"}]) is None
    assert reply_problem(plain, []) == "empty"
    assert reply_problem(plain, {"error": 1}) == "bad_body"
    assert reply_problem(crisis, [{"text": "Call 112"}, {"text": "Are you safe?"}]) is None
    assert reply_problem(crisis, [{"text": "Hello"}]) == "wrong_reply"
