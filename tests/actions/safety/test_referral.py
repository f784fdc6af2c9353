"""action_crisis_referral with rasa_sdk Tracker / CollectingDispatcher fixtures."""

import pytest

from actions.safety.referral import ActionCrisisReferral, describe, safety_texts
from actions.safety.selection import RULES
from actions.safety.table import load_crisis_lines
from tests.support.actions import entity, make_tracker, run_action, texts

COUNTRIES = {"US": "the US", "GB": "the UK", "CA": "Canada", "AU": "Australia", "IE": "Ireland", "NZ": "New Zealand"}
CATEGORIES = tuple(RULES)  # every category the line rules know


def danger(category="violence", subject="self", negated="false", **kw):
    entities = [
        entity("danger_category", category),
        entity("danger_subject", subject),
        entity("danger_negated", negated),
    ] + kw.pop("extra", [])
    return make_tracker("danger", entities, text="(a danger message)", **kw)


def safety_text(key, **values):
    entry = safety_texts()[key]
    return (entry["text"] if isinstance(entry, dict) else entry).format(**values)


def lines_heading(country):
    return safety_text("crisis_lines", country_name=COUNTRIES[country], lines="").rstrip()


def payload(dispatcher):
    customs = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert len(customs) == 1
    return customs[0]


def slots(events):
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("category", CATEGORIES)
async def test_lines_for_each_country_and_category_as_text_and_as_a_payload(dispatcher, country, category):
    events = await run_action(ActionCrisisReferral(), dispatcher, danger(category, slots={"country": country}))
    text = texts(dispatcher)[1]
    assert text.startswith(lines_heading(country))
    sent = payload(dispatcher)
    assert sent["type"] == "crisis_referral" and sent["category"] == category and sent["country"] == country
    assert sent["about_other"] is False and sent["negated"] is False
    assert sent["lines"] and all(
        set(line) >= {"name", "phone", "text", "sms_number", "sms_body", "chat_url", "hours", "notes"}
        for line in sent["lines"]
    )
    for line in sent["lines"]:
        assert line["name"] in text
    assert slots(events)["referral_needs_country"] is False


@pytest.mark.parametrize(
    "category, framing",
    [
        ("self_harm", "crisis_framing_self"),
        ("violence", "crisis_framing_self"),
        ("child_at_risk", "crisis_framing_child"),
        ("harm_to_others", "crisis_framing_harm"),
    ],
)
async def test_the_framing_follows_the_category(dispatcher, category, framing):
    await run_action(ActionCrisisReferral(), dispatcher, danger(category, slots={"country": "GB"}))
    assert texts(dispatcher)[0] == safety_text(framing)


@pytest.mark.parametrize("about, framing", [(None, "crisis_framing_self"), ("someone_else", "crisis_framing_other")])
async def test_danger_the_scorer_found_is_framed_for_a_helper_only_when_they_said_they_are_one(
    dispatcher, about, framing
):
    # "he's on his way back and in a mood. he said you'd better not have told your mum": "mum" is not the one at risk
    tracker = danger("unspecified", subject="other", slots={"country": "GB", "about": about})
    tracker.latest_message["danger"] = {"source": "scorer", "about_other": True, "categories": ["unspecified"]}
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert texts(dispatcher)[0] == safety_text(framing)


async def test_third_person_is_framed_for_helping_someone_else(dispatcher):
    await run_action(ActionCrisisReferral(), dispatcher, danger("violence", subject="other", slots={"country": "AU"}))
    assert texts(dispatcher)[0] == safety_text("crisis_framing_other")
    assert payload(dispatcher)["about_other"] is True
    assert payload(dispatcher)["lines"][0]["name"] == "1800RESPECT"


async def test_a_negated_mention_is_framed_gently_and_still_gets_the_lines(dispatcher):
    await run_action(ActionCrisisReferral(), dispatcher, danger("self_harm", negated="true", slots={"country": "US"}))
    assert texts(dispatcher)[0] == safety_text("crisis_framing_gentle")
    assert texts(dispatcher)[1].startswith(lines_heading("US"))
    assert payload(dispatcher)["negated"] is True
    assert payload(dispatcher)["lines"][0]["phone"] == "988"


async def test_an_unknown_country_gets_the_international_lines_and_is_asked(dispatcher):
    events = await run_action(ActionCrisisReferral(), dispatcher, danger("immediate_danger"))
    assert texts(dispatcher)[0] == safety_text("crisis_framing_self")
    unknown_country = texts(dispatcher)[1]
    assert unknown_country.startswith(safety_text("crisis_lines_unknown_country", lines="").split("\n")[0])
    assert "112" in unknown_country and "findahelpline.com" in unknown_country
    assert payload(dispatcher)["country"] is None
    assert slots(events) == {"referral_needs_country": True}


async def test_the_country_in_the_widget_metadata_is_used_and_remembered(dispatcher):
    tracker = danger("self_harm", metadata={"country": "gb"})
    events = await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert payload(dispatcher)["country"] == "GB"
    assert payload(dispatcher)["lines"][0]["name"] == "Samaritans"
    assert slots(events) == {"widget_country": "GB", "referral_needs_country": False}


async def test_a_remembered_widget_country_is_used_when_the_metadata_is_gone(dispatcher):
    await run_action(ActionCrisisReferral(), dispatcher, danger("violence", slots={"widget_country": "NZ"}))
    assert payload(dispatcher)["country"] == "NZ"


async def test_the_country_the_person_named_wins_over_the_widget(dispatcher):
    tracker = danger("violence", slots={"country": "IE"}, metadata={"country": "GB"})
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert payload(dispatcher)["country"] == "IE"


async def test_a_country_named_in_the_danger_message_is_used_and_remembered(dispatcher):
    tracker = danger("violence", extra=[entity("country", "CA")], metadata={"country": "US"})
    events = await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert payload(dispatcher)["country"] == "CA"
    assert slots(events)["country"] == "CA"


async def test_all_categories_of_a_message_are_used_when_the_detector_sends_them(dispatcher):
    tracker = danger("immediate_danger", slots={"country": "US"})
    tracker.latest_message["danger"] = {
        "category": "immediate_danger",
        "categories": ["immediate_danger", "self_harm"],
        "about_other": False,
        "negated": False,
    }
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert [line["name"] for line in payload(dispatcher)["lines"]][:3] == [
        "Emergency services",
        "National Domestic Violence Hotline",
        "988 Suicide & Crisis Lifeline",
    ]
    assert payload(dispatcher)["categories"] == ["immediate_danger", "self_harm"]


async def test_help_now_gives_the_general_lines_and_clears_old_danger_details(dispatcher):
    tracker = make_tracker("help_now", slots={"country": "GB", "danger_subject": "other"})
    events = await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert len(texts(dispatcher)) == 2 and texts(dispatcher)[0].startswith(lines_heading("GB"))
    assert [line["name"] for line in payload(dispatcher)["lines"]][:2] == ["Emergency services", "Samaritans"]
    assert slots(events)["danger_subject"] is None and slots(events)["danger_category"] is None


async def test_a_country_given_after_a_referral_without_one_shows_that_countrys_lines(dispatcher):
    tracker = make_tracker(
        "inform_country",
        [entity("country", "AU")],
        slots={"referral_needs_country": True, "danger_category": "self_harm"},
    )
    events = await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert len(texts(dispatcher)) == 2 and texts(dispatcher)[0].startswith(lines_heading("AU"))
    assert payload(dispatcher)["lines"][0]["name"] == "Lifeline"
    assert slots(events) == {"country": "AU", "referral_needs_country": False}


async def test_a_country_given_at_another_time_is_noted(dispatcher):
    tracker = make_tracker("inform_country", [entity("country", "NZ")])
    events = await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert texts(dispatcher) == [safety_text("country_noted", country_name="New Zealand")]
    assert slots(events) == {"country": "NZ"}


def test_a_line_reads_as_one_sentence_with_every_way_to_reach_it():
    lines = {line.id: line for line in load_crisis_lines().lines}
    assert describe(lines["us-ndvh"]) == (
        "National Domestic Violence Hotline: call 1-800-799-7233, text START to "
        "88788 or chat at https://www.thehotline.org/ (24/7). TTY 1-800-787-3224. "
        "Friends and family can contact it too, and so can people worried about "
        "their own behaviour."
    )
    assert describe(lines["gb-shout"]) == "Shout: text SHOUT to 85258 (24/7)"
