"""`action_lines_on_request`: after the answer to "where can I find help", "a number I can text", "is there help for
men", "in my own language" or "he keeps my passport", the lines for the person's country as the compact card of a
check-in: no crisis framing and no "are you safe right now?", because asking for help is not itself a danger message
(any danger in it is the danger detector's, which runs first and leads to the urgent flow instead).
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
from actions.texts import say
from actions.tracker_values import entity_value

Events = List[Dict[Text, Any]]
MEN_ASKING = "ask_men_too"


class ActionLinesOnRequest(Action):
    def name(self) -> Text:
        return "action_lines_on_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        if entity_value(tracker, "danger_level") == CHECK_IN:
            return []  # the check-in's own card follows the reply (CheckInPolicy): one card, not two
        table = load_crisis_lines()
        country, events = find_country(tracker)
        writer = writer_of(tracker, tracker.latest_message.get("text"))
        if (tracker.latest_message.get("intent") or {}).get("name") == MEN_ASKING:
            writer |= {"man"}  # "can men be in this too?": the men's line first, where the country has one
        disclosure = Disclosure(writer=writer)
        selection = select_lines(table, country, disclosure.categories, disclosure.writer)
        say(dispatcher, safety_texts(), "lines_on_request")
        send_lines(dispatcher, table, selection, disclosure, CHECK_IN)
        # a country named next shows that country's lines (action_crisis_referral on inform_country)
        return events + [SlotSet(NEEDS_COUNTRY_SLOT, not selection.country_known)]
