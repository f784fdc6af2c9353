"""`action_emergency_by_text`: how to reach the emergency services without a voice call in the person's country
("I'm deaf, can I text 000?", "he'd hear me call"), from emergency_text.yml; the lines follow, with a word on those
that work by text or chat (`action_lines_on_request`, data/rules/safety_planning.yml)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.referral import find_country

TABLE_FILE = Path(__file__).with_name("emergency_text.yml")

Events = List[Dict[Text, Any]]


class ActionEmergencyByText(Action):
    def name(self) -> Text:
        return "action_emergency_by_text"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        country, events = find_country(tracker)
        dispatcher.utter_message(text=answer_text(country))
        return events


def answer_text(country: Optional[str]) -> Text:
    """The country's way to reach the emergency services without a voice call, or the general answer."""
    table = load_table()
    entry = table["countries"].get(country or "")
    return entry["text"] if entry else table["unknown_country"]


@functools.cache
def load_table(path: Path = TABLE_FILE) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
