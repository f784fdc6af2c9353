"""action_crisis_check_in with rasa_sdk Tracker / CollectingDispatcher fixtures."""

from actions.safety.check_in import ActionCrisisCheckIn
from actions.safety.referral import safety_texts
from tests.support.actions import entity, make_tracker, run_action, texts


def check_in_message(category="violence", subject="self", country=None, text="he used to hit me years ago"):
    entities = [
        entity("danger_category", category),
        entity("danger_subject", subject),
        entity("danger_negated", "false"),
        entity("danger_level", "check_in"),
    ]
    tracker = make_tracker("ask_why_go_back", entities, text=text, slots={"country": country} if country else {})
    tracker.latest_message["danger"] = {
        "level": "check_in",
        "category": category,
        "categories": [category],
        "about_other": subject == "other",
        "negated": False,
        "matches": [],
    }
    return tracker


async def test_one_warm_line_then_the_lines_at_the_check_in_level(dispatcher):
    events = await run_action(ActionCrisisCheckIn(), dispatcher, check_in_message(country="GB"))
    shown = texts(dispatcher)
    assert shown[0] == safety_texts()["check_in_self"]
    card = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert len(card) == 1 and card[0]["level"] == "check_in" and card[0]["country"] == "GB"
    assert card[0]["lines"] and card[0]["lines_text"] in shown  # the widget shows the card instead of that text
    assert events == [{"event": "undo", "timestamp": None}]  # the conversation goes on as after the reply


async def test_it_never_asks_whether_the_person_is_safe(dispatcher):
    await run_action(ActionCrisisCheckIn(), dispatcher, check_in_message(country="US"))
    assert not any("safe right now" in (text or "") for text in texts(dispatcher))
    assert not any(message.get("buttons") for message in dispatcher.messages)


async def test_someone_elses_situation_gets_the_line_for_friends_and_family(dispatcher):
    await run_action(
        ActionCrisisCheckIn(),
        dispatcher,
        check_in_message(subject="other", country="GB", text="my sister's husband hits her"),
    )
    assert texts(dispatcher)[0] == safety_texts()["check_in_other"]


async def test_a_self_harm_check_in_offers_a_suicide_or_crisis_line(dispatcher):
    await run_action(
        ActionCrisisCheckIn(),
        dispatcher,
        check_in_message("self_harm", country="GB", text="i used to cut when i was a teen"),
    )
    names = [line["name"] for line in next(m["custom"] for m in dispatcher.messages if m.get("custom"))["lines"]]
    assert "Samaritans" in names


async def test_a_check_in_after_asking_about_older_people_has_the_line_for_older_people(dispatcher):
    # trial 13: a grandmother asked twice for help for older people, and the check-in's card had no such line
    tracker = check_in_message(
        country="US", text="my grandson takes my pension and shouts, is there help for older people"
    )
    tracker.latest_message["intent"] = {"name": "ask_older_people", "confidence": 0.9}
    await run_action(ActionCrisisCheckIn(), dispatcher, tracker)
    card = [m["custom"] for m in dispatcher.messages if m.get("custom")][0]
    assert "Eldercare Locator" in [line["name"] for line in card["lines"]]


async def test_an_earlier_question_about_older_people_still_counts_on_a_later_card(dispatcher):
    tracker = check_in_message(country="US", text="he shoved me into the door last week")
    tracker.events = [
        {
            "event": "user",
            "text": "is there help for people my age",
            "parse_data": {"intent": {"name": "ask_older_people"}},
        },
        {"event": "user", "text": "he shoved me into the door last week", "parse_data": {"intent": {"name": "danger"}}},
    ]
    await run_action(ActionCrisisCheckIn(), dispatcher, tracker)
    card = [m["custom"] for m in dispatcher.messages if m.get("custom")][0]
    assert "Eldercare Locator" in [line["name"] for line in card["lines"]]
