"""Asides, stage numbers that are no stage, and offering the likeliest topics (actions/guide/likely_topics.py)."""

from actions.guide.concepts import ActionGoToStage
from actions.guide.likely_topics import (
    TITLES_FILE,
    ActionAnswerAgain,
    ActionAnswerForSelf,
    ActionAskWhichTopic,
    topic_titles,
)
from actions.guide.navigation import ActionNextStep, ActionPreviousStep, ActionTellMore
from actions.texts import load_texts
from tests.support.actions import (
    button_payloads,
    entity,
    guide_text,
    make_tracker,
    run_action,
    slot_value,
    step_text,
    texts,
)

AFTER_STAGES_ASIDE = {"guide_step": "what_is", "aside_step": "stages"}


async def test_next_after_the_stages_aside_is_stage_one(dispatcher):
    events = await run_action(ActionNextStep(), dispatcher, make_tracker("continue", slots=AFTER_STAGES_ASIDE))
    assert texts(dispatcher) == [step_text("stage_love_bombing")]
    assert slot_value(events, "guide_step") == "stage_love_bombing"
    assert slot_value(events, "aside_step") is None


async def test_tell_me_more_after_an_aside_tells_more_of_the_aside(dispatcher):
    await run_action(ActionTellMore(), dispatcher, make_tracker("tell_more", slots=AFTER_STAGES_ASIDE))
    assert texts(dispatcher) == [step_text("stages", more=True)]
    assert button_payloads(dispatcher)[0] == "/resume"


async def test_go_back_after_an_aside_is_back_where_we_were(dispatcher):
    await run_action(ActionPreviousStep(), dispatcher, make_tracker("previous", slots=AFTER_STAGES_ASIDE))
    assert texts(dispatcher) == [step_text("what_is")]


async def test_stage_nine_says_there_are_seven_and_offers_the_list(dispatcher):
    tracker = make_tracker(
        "ask_stage", entities=[entity("stage_number", "9")], slots={"guide_step": "stage_resignation"}
    )
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert events == []
    assert texts(dispatcher) == [guide_text("no_such_stage")]
    assert len(button_payloads(dispatcher)) == 7


async def test_not_understood_offers_the_likeliest_topics_in_plain_words(dispatcher):
    tracker = make_tracker("nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.25},
        {"name": "ask_no_contact", "confidence": 0.2},
        {"name": "affirm", "confidence": 0.15},
        {"name": "ask_hoovering", "confidence": 0.1},
        {"name": "ask_why_go_back", "confidence": 0.08},
        {"name": "ask_stages", "confidence": 0.05},
    ]
    await run_action(ActionAskWhichTopic(), dispatcher, tracker)
    assert button_payloads(dispatcher) == [
        "/ask_no_contact",
        "/ask_hoovering",
        "/ask_why_go_back",
        "/out_of_scope",
        "/help_now",
    ]
    assert dispatcher.messages[0]["buttons"][0]["title"] == topic_titles()["ask_no_contact"]


async def test_im_talking_about_me_offers_what_the_question_was_about_without_the_helper_script(dispatcher):
    tracker = make_tracker("correct_about_me")
    tracker.events = [
        {
            "event": "user",
            "parse_data": {
                "intent_ranking": [
                    {"name": "ask_help_friend", "confidence": 0.9},
                    {"name": "ask_why_miss_them", "confidence": 0.02},
                    {"name": "feel_miss_them", "confidence": 0.01},
                ]
            },
        },
        {"event": "user", "parse_data": {"intent_ranking": [{"name": "correct_about_me", "confidence": 0.9}]}},
    ]
    await run_action(ActionAnswerForSelf(), dispatcher, tracker)
    assert button_payloads(dispatcher)[:2] == ["/ask_why_miss_them", "/feel_miss_them"]
    assert "/ask_help_friend" not in button_payloads(dispatcher)


async def test_asked_again_it_offers_the_next_likeliest_topics_not_the_same_answer(dispatcher):
    tracker = make_tracker("ask_they_moved_on")
    tracker.latest_message["intent_ranking"] = [
        {"name": "ask_they_moved_on", "confidence": 0.97},
        {"name": "feel_miss_them", "confidence": 0.01},
        {"name": "thank", "confidence": 0.01},
        {"name": "ask_hoovering", "confidence": 0.005},
    ]
    await run_action(ActionAnswerAgain(), dispatcher, tracker)
    assert texts(dispatcher) == [load_texts(TITLES_FILE)["answered_above"]]
    assert button_payloads(dispatcher) == ["/feel_miss_them", "/ask_hoovering", "/show_topics", "/help_now"]


async def test_asked_again_with_nothing_else_likely_it_asks_what_they_would_like_to_know(dispatcher):
    tracker = make_tracker("ask_they_moved_on")
    tracker.latest_message["intent_ranking"] = [{"name": "ask_they_moved_on", "confidence": 1.0}]
    await run_action(ActionAnswerAgain(), dispatcher, tracker)
    assert texts(dispatcher) == [load_texts(TITLES_FILE)["answered_above_no_offers"]]
    assert button_payloads(dispatcher) == ["/show_topics", "/help_now"]


def test_every_titled_topic_is_an_intent_of_the_domain():
    from pathlib import Path

    import yaml

    intents = set(yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))["intents"])
    assert set(topic_titles()) <= intents
