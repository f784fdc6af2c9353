"""Offering what a message might be about: the two or three likeliest topics as buttons, in plain words.

- `action_default_ask_affirmation` (Rasa's two-stage fallback, first stage): "Is it one of these?" with the
  likeliest topics of the message that was not understood, "Something else" (`/out_of_scope`, which the fallback
  reads as no) and "I need help now".
- `action_default_ask_rephrase` (second stage): ask to say it another way.
- `action_answer_again` (untangle_core/repeat_policy.py): the same topic asked again in other words: the answer above
  is what there is on that, and the likeliest other topics of the new wording.
- `action_answer_for_self`: "I'm talking about me" after the helping-someone script, or a helping-someone question
  from someone who said it is about them: the likeliest topics of what they asked, without the script.
Titles come from topic_titles.yml; an intent without a title (small talk, danger, help) is never offered.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.texts import load_texts, say

Events = List[Dict[Text, Any]]
TITLES_FILE = Path(__file__).with_name("topic_titles.yml")
MAX_TOPICS = 3
# Below this confidence an intent is too unlikely to offer (the ranking is softmax-like, summing to 1).
MIN_CONFIDENCE = 0.03
SOMETHING_ELSE = {"title": "Something else", "payload": "/out_of_scope"}
HELPER_INTENT = "ask_help_friend"


@functools.cache
def topic_titles(path: Path = TITLES_FILE) -> Dict[str, str]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["titles"]


def likely_topics(
    ranking: Iterable[Dict[str, Any]], leave_out: Iterable[str] = (), min_confidence: float = MIN_CONFIDENCE
) -> List[Dict[str, str]]:
    """Buttons for the likeliest titled intents of an intent ranking, best first."""
    titles, skipped = topic_titles(), set(leave_out)
    offers = []
    for entry in ranking or []:
        name, confidence = entry.get("name"), entry.get("confidence") or 0.0
        if name in titles and name not in skipped and confidence >= min_confidence:
            offers.append({"title": titles[name], "payload": f"/{name}"})
        if len(offers) == MAX_TOPICS:
            break
    return offers


def say_topic_text(dispatcher: CollectingDispatcher, key: str, **kwargs: Any) -> None:
    say(dispatcher, load_texts(TITLES_FILE), key, **kwargs)


def user_messages(tracker: Tracker) -> List[Dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def ranking_of(message: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return ((message or {}).get("parse_data") or {}).get("intent_ranking") or []


class ActionAskWhichTopic(Action):
    """The two-stage fallback's first question: the likeliest topics instead of an intent's name."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        offers = likely_topics(tracker.latest_message.get("intent_ranking") or [])
        if not offers:
            say_topic_text(dispatcher, "ask_rephrase", buttons=[buttons.TOPICS, buttons.HELP_NOW])
            return []
        say_topic_text(dispatcher, "ask_which_topic", buttons=offers + [SOMETHING_ELSE, buttons.HELP_NOW])
        return []


class ActionAskRephrase(Action):
    """The two-stage fallback's second question, after "Something else": say it another way."""

    def name(self) -> Text:
        return "action_default_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        say_topic_text(dispatcher, "ask_rephrase", buttons=[buttons.TOPICS, buttons.HELP_NOW])
        return []


class ActionAnswerForSelf(Action):
    """About themselves, not someone they help: the likeliest topics of what they asked, never the helper script.

    After a correction ("I'm not helping anyone, I'm talking about me") the question is the message before it.
    """

    def name(self) -> Text:
        return "action_answer_for_self"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        messages = user_messages(tracker)
        is_correction = tracker.latest_message.get("intent", {}).get("name") != HELPER_INTENT
        asked = messages[-2] if is_correction and len(messages) > 1 else (messages[-1] if messages else None)
        ranking = ranking_of(asked) or tracker.latest_message.get("intent_ranking") or []
        # the question was read as a helper's, so what it was really about may have ranked low
        offers = likely_topics(ranking, leave_out=[HELPER_INTENT], min_confidence=0.0)
        if not offers:
            dispatcher.utter_message(response="utter_topics")
            return []
        key = "about_self_correction" if is_correction else "about_self"
        say_topic_text(dispatcher, key, buttons=offers + [buttons.TOPICS, buttons.HELP_NOW])
        return []


class ActionAnswerAgain(Action):
    """Asked again in other words: not the same answer twice, but what else the new wording might be about."""

    def name(self) -> Text:
        return "action_answer_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        asked = tracker.latest_message.get("intent", {}).get("name")
        offers = likely_topics(
            tracker.latest_message.get("intent_ranking") or [], leave_out=[asked], min_confidence=0.0
        )
        key = "answered_above" if offers else "answered_above_no_offers"
        say_topic_text(dispatcher, key, buttons=offers + [buttons.TOPICS, buttons.HELP_NOW])
        return []
