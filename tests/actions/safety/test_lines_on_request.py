"""action_lines_on_request with rasa_sdk Tracker / CollectingDispatcher fixtures."""

from actions.safety.lines_on_request import ActionLinesOnRequest
from actions.safety.referral import safety_texts
from actions.safety.table import load_crisis_lines
from tests.support.actions import entity, make_tracker, run_action, slot_value, texts


def asking(text="can u give me a number i can text", country=None, earlier=()):
    tracker = make_tracker("ask_find_help", text=text, metadata={"country": country} if country else None)
    tracker.events = [{"event": "user", "text": said} for said in [*earlier, text]]
    return tracker


def card(dispatcher):
    return next(message["custom"] for message in dispatcher.messages if message.get("custom"))


async def test_the_lines_come_as_a_compact_card_without_asking_if_they_are_safe(dispatcher):
    events = await run_action(ActionLinesOnRequest(), dispatcher, asking(country="GB"))
    assert texts(dispatcher)[0] == safety_texts()["lines_on_request"]
    shown = card(dispatcher)
    assert shown["level"] == "check_in" and shown["country"] == "GB"
    assert any(line["sms_number"] or line["text"] or line["chat_url"] for line in shown["lines"])
    assert not any("safe right now" in (text or "") for text in texts(dispatcher))
    assert slot_value(events, "referral_needs_country") is False


async def test_a_young_person_gets_the_young_peoples_line(dispatcher):
    tracker = asking("is there a number i can text", country="AU", earlier=("im 15 and my dad yells all the time",))
    await run_action(ActionLinesOnRequest(), dispatcher, tracker)
    assert "Kids Helpline" in [line["name"] for line in card(dispatcher)["lines"]]


async def test_without_a_country_it_shows_what_works_anywhere_and_asks_for_the_country(dispatcher):
    events = await run_action(ActionLinesOnRequest(), dispatcher, asking())
    assert card(dispatcher)["country"] is None
    assert slot_value(events, "referral_needs_country") is True


async def test_a_message_with_a_danger_check_in_gets_only_the_check_ins_card(dispatcher):
    tracker = asking("he hit me last year, where can i get help", country="GB")
    tracker.latest_message["entities"] = [entity("danger_level", "check_in")]
    assert await run_action(ActionLinesOnRequest(), dispatcher, tracker) == []
    assert dispatcher.messages == []


async def test_asking_whether_men_can_be_in_this_shows_the_mens_line_not_a_womens_line(dispatcher):
    tracker = asking("can blokes even end up in this sort of thing", country="GB")
    tracker.latest_message["intent"] = {"name": "ask_men_too", "confidence": 1.0}
    await run_action(ActionLinesOnRequest(), dispatcher, tracker)
    names = [line["name"] for line in card(dispatcher)["lines"]]
    assert "Men's Advice Line" in names
    assert "Refuge National Domestic Abuse Helpline" not in names


async def test_a_man_in_australia_asking_gets_mensline_and_the_answer_is_short_next_time(dispatcher):
    tracker = asking("is there a mens one in australia", country="AU")
    tracker.latest_message["intent"] = {"name": "ask_men_too", "confidence": 1.0}
    events = await run_action(ActionLinesOnRequest(), dispatcher, tracker)
    assert "MensLine Australia" in [line["name"] for line in card(dispatcher)["lines"]]
    assert slot_value(events, "men_lines_shown") is True


async def test_a_general_request_for_help_does_not_mark_the_mens_lines_as_shown(dispatcher):
    events = await run_action(ActionLinesOnRequest(), dispatcher, asking("where can i find help", country="AU"))
    assert not [event for event in events if event.get("name") == "men_lines_shown"]


async def test_the_same_question_about_help_in_general_shows_the_usual_lines(dispatcher):
    await run_action(ActionLinesOnRequest(), dispatcher, asking("where can i find help", country="GB"))
    assert "Men's Advice Line" not in [line["name"] for line in card(dispatcher)["lines"]]


async def test_asking_whether_to_tell_a_teacher_shows_the_young_peoples_line_first(dispatcher):
    tracker = asking("should i tell someone at school, i dont know who", country="GB")
    tracker.latest_message["intent"] = {"name": "ask_tell_trusted_adult", "confidence": 1.0}
    await run_action(ActionLinesOnRequest(), dispatcher, tracker)
    names = [line["name"] for line in card(dispatcher)["lines"]]
    assert "Childline" in names[:2], names  # after the emergency number, which every card starts with


async def test_an_adult_student_asking_whom_to_tell_gets_no_childrens_lines(dispatcher):
    tracker = asking("im 19 and at uni, should i tell someone", country="GB")
    tracker.latest_message["intent"] = {"name": "ask_tell_trusted_adult", "confidence": 1.0}
    await run_action(ActionLinesOnRequest(), dispatcher, tracker)
    assert "NSPCC Helpline" not in [line["name"] for line in card(dispatcher)["lines"]]


async def test_a_question_about_lgbtq_support_puts_the_lgbtq_line_first(dispatcher):
    # trial 12: three requests for LGBTQ+ support got the general text and no LGBTQ+ line
    tracker = make_tracker("ask_lgbtq_too", text="is there anything for two women", metadata={"country": "GB"})
    await run_action(ActionLinesOnRequest(), dispatcher, tracker)
    assert "Galop National LGBT+ Domestic Abuse Helpline" in [line["name"] for line in card(dispatcher)["lines"]]


async def test_a_question_about_help_for_older_people_shows_a_line_for_older_people(dispatcher):
    # trial 12: "is there anyone for older people? im 72" got the general helpline text and no older people's line
    tracker = make_tracker("ask_older_people", text="is there anyone for older people", metadata={"country": "GB"})
    await run_action(ActionLinesOnRequest(), dispatcher, tracker)
    older = {line.name for line in load_crisis_lines().in_country("GB") if "older_people" in line.categories}
    assert older & {line["name"] for line in card(dispatcher)["lines"]}
