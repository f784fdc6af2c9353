"""`action_lines_on_request`: after the answer to "where can I find help", "a number I can text", "is there help for
men", "should I tell a teacher", "in my own language" or "he keeps my passport", the lines for the person's country
as the compact card of a check-in: no crisis framing and no "are you safe right now?", because asking for help is
not itself a danger message (any danger in it is the danger detector's, which runs first and leads to the urgent
flow instead).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.referral import (
    CHECK_IN,
    NEEDS_COUNTRY_SLOT,
    Disclosure,
    find_country,
    safety_texts,
    send_lines,
    writer_of,
)
from actions.safety.selection import select_lines
from actions.safety.table import load_crisis_lines
from actions.safety.writer import ADULT_AGE, latest_age
from actions.texts import say
from actions.tracker_values import entity_value

Events = List[Dict[Text, Any]]
# A child or teenager asking whom to tell needs the lines for children and young people, not the general ones the
# writer's line would otherwise give way to on a full card (an adult student asking gets the young people's line first).
CATEGORIES_FOR_A_CHILD = {"ask_tell_trusted_adult": ("child_at_risk",)}
# A question about abuse in one kind of relationship: the domestic abuse lines with that group's (the general set,
# with a suicide line, has no room for the LGBTQ+ line on a full card).
CATEGORIES_ASKING = {"ask_lgbtq_too": ("violence",), "ask_older_people": ("violence",)}
# Set once the men's lines were shown: asked again, the answer is short (domain.yml, utter_ask_men_too).
MEN_LINES_SHOWN_SLOT = "men_lines_shown"


class ActionLinesOnRequest(Action):
    def name(self) -> Text:
        return "action_lines_on_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        if entity_value(tracker, "danger_level") == CHECK_IN:
            return []  # the check-in's own card follows the reply (CheckInPolicy): one card, not two
        table = load_crisis_lines()
        country, events = find_country(tracker)
        writer = writer_of(tracker, tracker.latest_message.get("text"))
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        categories = CATEGORIES_ASKING.get(intent)
        if intent in CATEGORIES_FOR_A_CHILD and _child(tracker):
            categories = CATEGORIES_FOR_A_CHILD[intent]
        disclosure = Disclosure(categories=categories or ("unspecified",), writer=writer)
        selection = select_lines(table, country, disclosure.categories, disclosure.writer)
        say(dispatcher, safety_texts(), "lines_on_request")
        send_lines(dispatcher, table, selection, disclosure, CHECK_IN)
        # a country named next shows that country's lines (action_crisis_referral on inform_country)
        shown = [SlotSet(MEN_LINES_SHOWN_SLOT, True)] if intent == "ask_men_too" else []
        return events + shown + [SlotSet(NEEDS_COUNTRY_SLOT, not selection.country_known)]


def _child(tracker: Tracker) -> bool:
    """ "Should I tell a teacher?" is a child's question unless the writer gave an adult age."""
    said = [event.get("text") for event in tracker.events if event.get("event") == "user"]
    age = latest_age(tracker.latest_message.get("text"), said)
    return age is None or age < ADULT_AGE
