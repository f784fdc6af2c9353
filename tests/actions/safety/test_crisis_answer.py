"""action_crisis_answer and action_warning_sign, and the warning signs in the referral (docs/safety.md, "Answers")."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import pytest
from rasa_sdk import Tracker

from actions.safety.answer import ActionCrisisAnswer, ActionWarningSign
from actions.safety.referral import ActionCrisisReferral, safety_texts
from actions.safety.warning_signs import find_signs, signs_in_danger
from tests.support.actions import run_action, texts


def text_of(key: str) -> str:
    return safety_texts()[key]


def message(
    text: str,
    intent: str = "danger",
    categories: Sequence[str] = ("violence",),
    about_other=False,
    ranking: Sequence[str] = (),
    level: Optional[str] = "urgent",
) -> Dict[str, Any]:
    """A parsed message as the Rasa server sends it, with the danger detector's attribute and entities."""
    entities = []
    danger = None
    if categories:
        danger = {
            "level": level,
            "category": categories[0],
            "categories": list(categories),
            "about_other": about_other,
            "negated": False,
            "matches": [],
        }
        entities = [
            {"entity": "danger_category", "value": categories[0]},
            {"entity": "danger_subject", "value": "other" if about_other else "self"},
            {"entity": "danger_level", "value": level},
        ]
    ranked = [{"name": intent, "confidence": 1.0}] + [{"name": name, "confidence": 0.3} for name in ranking]
    parsed = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": ranked,
        "entities": entities,
        "metadata": {},
    }
    if danger:
        parsed["danger"] = danger
    return parsed


def conversation(*turns: Any, slots: Optional[Dict[str, Any]] = None) -> Tracker:
    """Turns are parsed user messages (dicts) and bot action names; the last turn is the latest message."""
    events: List[Dict[str, Any]] = []
    for turn in turns:
        if isinstance(turn, dict):
            events += [
                {"event": "action", "name": "action_listen"},
                {"event": "user", "text": turn["text"], "parse_data": turn},
            ]
        else:
            events.append({"event": "action", "name": turn})
    latest = next(turn for turn in reversed(turns) if isinstance(turn, dict))
    return Tracker("t", slots or {"country": "GB"}, latest, events, False, None, {}, "action_listen")


REFERRAL = ("utter_crisis_essentials", "action_deactivate_loop", "action_crisis_referral", "utter_ask_safe_now")
HE_HIT_ME = message("he hit me again last night")


def cards(dispatcher) -> List[Dict[str, Any]]:
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


async def test_new_danger_in_a_safe_answer_gets_the_lines_for_it(dispatcher):
    answer = message("yes but he hits the kids too", categories=("child_at_risk",), ranking=("safe_now",))
    await run_action(ActionCrisisAnswer(), dispatcher, conversation(HE_HIT_ME, *REFERRAL, answer))
    shown = texts(dispatcher)
    assert shown[0] == text_of("crisis_framing_child")
    assert "utter_emergency_guidance" not in shown and "utter_ask_safe_now" not in shown
    card = cards(dispatcher)[0]
    assert card["categories"] == ["child_at_risk"] and any("NSPCC" in line["name"] for line in card["lines"])


@pytest.mark.parametrize(
    "text, ranking", [("no he's in the next room", ()), ("he's got the keys and i can't get out", ("not_safe_now",))]
)
async def test_an_answer_that_says_not_safe_gets_the_guidance_once(dispatcher, text, ranking):
    answer = message(text, categories=("violence",), ranking=ranking)
    await run_action(ActionCrisisAnswer(), dispatcher, conversation(HE_HIT_ME, *REFERRAL, answer))
    assert texts(dispatcher) == ["utter_emergency_guidance"]  # the same danger: no second card


async def test_not_safe_with_a_new_danger_gets_the_guidance_and_its_lines(dispatcher):
    answer = message("no and he's got a gun out", categories=("immediate_danger", "violence"))
    await run_action(ActionCrisisAnswer(), dispatcher, conversation(HE_HIT_ME, *REFERRAL, answer))
    shown = texts(dispatcher)
    assert shown[0] == "utter_emergency_guidance" and shown[-1] == text_of("warning_sign_gun")
    assert cards(dispatcher)[0]["categories"] == ["immediate_danger"]


async def test_after_the_guidance_the_guidance_is_not_sent_again(dispatcher):
    answer = message("no he's hitting me now", categories=("violence",))
    tracker = conversation(
        HE_HIT_ME, *REFERRAL, message("no", intent="deny", categories=()), "utter_emergency_guidance", answer
    )
    await run_action(ActionCrisisAnswer(), dispatcher, tracker)
    assert texts(dispatcher) == [text_of("answer_same_danger")]


@pytest.mark.parametrize(
    "answer",
    [
        message("yes safe, he only hits me when he's drunk", categories=("violence",)),
        message("safe for tonight, he's away on a work trip", categories=("unspecified",), ranking=("safe_now",)),
    ],
)
async def test_a_safe_answer_naming_no_new_danger_is_met_as_safe(dispatcher, answer):
    await run_action(ActionCrisisAnswer(), dispatcher, conversation(HE_HIT_ME, *REFERRAL, answer))
    assert texts(dispatcher) == ["utter_safe_now_glad"]
    assert cards(dispatcher) == []


async def test_the_same_danger_again_is_acknowledged_briefly(dispatcher):
    answer = message("he does it every weekend", categories=("violence",), ranking=("share_experience",))
    await run_action(ActionCrisisAnswer(), dispatcher, conversation(HE_HIT_ME, *REFERRAL, answer))
    assert texts(dispatcher) == [text_of("answer_same_danger")]


async def test_a_sign_question_the_detector_marked_gets_the_sign_not_a_new_referral(dispatcher):
    strangled = message("he strangled me last night", categories=("violence",))
    question = message(
        "is the neck thing serious? i didnt pass out", categories=("unspecified",), ranking=("ask_warning_sign",)
    )
    await run_action(ActionCrisisAnswer(), dispatcher, conversation(strangled, *REFERRAL, question))
    assert texts(dispatcher)[0] == text_of("warning_sign_strangulation")
    assert [card["level"] for card in cards(dispatcher)] == ["check_in"]


async def test_danger_after_i_need_help_now_gets_its_own_lines(dispatcher):
    help_now = message("/help_now", intent="help_now", categories=())
    answer = message("yes but i keep thinking about ending it", categories=("self_harm",))
    await run_action(ActionCrisisAnswer(), dispatcher, conversation(help_now, *REFERRAL, answer))
    assert texts(dispatcher)[0] == text_of("crisis_framing_self")
    assert any("Samaritans" in line["name"] for line in cards(dispatcher)[0]["lines"])


# --- warning signs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, sign",
    [
        ("he strangled me last night", "strangulation"),
        ("he choked me till i nearly blacked out", "strangulation"),
        ("his hands were round my throat", "strangulation"),
        ("is the neck thing serious? i didnt pass out", "strangulation"),
        ("he keeps a rifle under the bed", "gun"),
        ("he said he'd kill me if i told anyone", "threat_to_kill"),
        ("it's getting worse every week", "escalation"),
        ("he said if i leave he'll find me", "separation"),
    ],
)
def test_each_sign_is_found(text, sign):
    assert find_signs([text])[0] == sign


@pytest.mark.parametrize("text", ["he shouts at me all the time", "he hit me", "i'm so tired of this"])
def test_no_sign_in_other_danger(text):
    assert find_signs([text]) == []


def test_no_warning_sign_for_the_writers_own_urges():
    assert signs_in_danger({"categories": ["self_harm"]}, "i want to kill myself with his gun") == []
    assert signs_in_danger({"categories": ["harm_to_others"]}, "i could strangle him") == []


async def test_the_referral_names_the_signs_after_the_lines(dispatcher):
    latest = message("he strangled me and said he'd kill me", categories=("violence", "threats"))
    await run_action(ActionCrisisReferral(), dispatcher, conversation(latest))
    shown = texts(dispatcher)
    assert shown[0] == text_of("crisis_framing_self") and shown[1].startswith("Free, confidential support in")
    assert shown[-2:] == [text_of("warning_sign_strangulation"), text_of("warning_sign_threat_to_kill")]
    assert "no marks" in shown[-2] and "checked" in shown[-2]  # strangling can injure without marks: see a doctor
    assert len(cards(dispatcher)) == 1


async def test_no_sign_for_someone_writing_about_their_own_behaviour(dispatcher):
    latest = message("i choked my girlfriend last night and i'm scared i'll do it again", categories=("violence",))
    await run_action(ActionCrisisReferral(), dispatcher, conversation(latest))
    assert not any(text.startswith("Being strangled") for text in texts(dispatcher) if text)


async def test_a_question_about_the_neck_after_a_strangling_gets_the_sign_and_the_lines(dispatcher):
    strangled = message("he had his hands round my neck last night", categories=("violence",))
    question = message("is the neck thing serious? i didnt pass out", intent="ask_warning_sign", categories=())
    await run_action(ActionWarningSign(), dispatcher, conversation(strangled, *REFERRAL, question))
    assert texts(dispatcher)[0] == text_of("warning_sign_strangulation")
    assert cards(dispatcher)[0]["level"] == "check_in" and cards(dispatcher)[0]["lines"]


async def test_should_i_move_it_after_a_gun_gets_the_gun_text(dispatcher):
    gun = message("he put his gun on the table and told me to keep talking", categories=("threats",))
    question = message("should i move it", intent="ask_warning_sign", categories=())
    await run_action(ActionWarningSign(), dispatcher, conversation(gun, *REFERRAL, "utter_safe_now_glad", question))
    assert texts(dispatcher)[0] == text_of("warning_sign_gun")
    assert "advocate or the police" in texts(dispatcher)[0]


async def test_a_sign_question_out_of_the_blue_gets_the_general_text(dispatcher):
    question = message("what are the danger signs", intent="ask_warning_sign", categories=())
    await run_action(ActionWarningSign(), dispatcher, conversation(question))
    assert texts(dispatcher)[0] == text_of("warning_sign_general")
    assert cards(dispatcher)


async def test_a_sign_question_that_is_a_check_in_gets_one_compact_card(dispatcher):
    question = message(
        "he choked me years ago, was that serious?",
        intent="ask_warning_sign",
        categories=("violence",),
        level="check_in",
    )
    await run_action(ActionWarningSign(), dispatcher, conversation(question))
    assert texts(dispatcher)[0] == text_of("warning_sign_strangulation")
    assert [card["level"] for card in cards(dispatcher)] == ["check_in"]
