"""`ask_money_housing`: the answer for what the question is about (money, a pet, somewhere to live), so a joint
account, a dog and a lease each get their own answer instead of the same paragraph three times.

The topics and their words are in money_housing.yml; `action_safety_planning_line` follows with a line to plan with.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Dict, List, Pattern, Text, Tuple

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

TABLE_FILE = Path(__file__).with_name("money_housing.yml")

Events = List[Dict[Text, Any]]


class ActionAnswerMoneyHousing(Action):
    def name(self) -> Text:
        return "action_answer_money_housing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        for text in answer_texts(tracker.latest_message.get("text")):
            dispatcher.utter_message(text=text)
        return []


def answer_texts(message: Any) -> List[Text]:
    """The texts of the topics the message names, in its order (at most max_topics), else the general answer."""
    table = load_table()
    text = str(message or "").lower().replace("\u2019", "'")
    found = sorted((match.start(), name) for name, pattern in topic_patterns() if (match := pattern.search(text)))
    names = [name for _, name in found][: table["max_topics"]]
    return [table["topics"][name]["text"] for name in names] or [table["general"]]


@functools.cache
def load_table(path: Path = TABLE_FILE) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.cache
def topic_patterns() -> Tuple[Tuple[str, Pattern[str]], ...]:
    """One pattern per topic: any of its words or phrases, whole words only."""
    topics = load_table()["topics"]
    return tuple(
        (name, re.compile(r"\b(?:" + "|".join(re.escape(word) for word in entry["words"]) + r")\b"))
        for name, entry in topics.items()
    )
