"""`action_heard_experience`: the reply to a described experience, fitting what was described.

"My wife puts me down in front of friends, then she's all sweet" is not a question, and one stock line for all such
messages fits none of them. `ExperienceThemes` (untangle_nlu/experience_themes.py) names what the message
describes; this action reflects the first of it in a line from heard_experience.yml and offers the topics that fit
as buttons, with the way back to the path and "I need help now". With no theme it listens and offers the
classifier's likeliest topics. It never changes the person's place on the path.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Union

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.guide.likely_topics import HELPER_INTENT, MIN_CONFIDENCE, likely_topics, topic_titles
from actions.guide.show import current_step
from actions.texts import load_texts, say

Events = List[Dict[Text, Any]]
TABLE_FILE = Path(__file__).with_name("heard_experience.yml")
THEME_ENTITY = "experience_theme"
ABOUT_SLOT = "about"
MAX_OFFERS = 3
# Offers from the classifier's ranking (no theme found) never repeat the intent being answered.
NOT_OFFERED = ("share_experience",)

Offer = Union[str, Dict[str, str]]
# A sentence that opens with one of these (after a filler) asks something, with or without a question mark.
QUESTION_WORDS = frozenset(
    "how what why when where who which is are am was were do does did can could should would will has have".split()
)
FILLERS = frozenset("so but and ok okay like then also anyway i mean or".split())


@functools.cache
def load_table(path: Path = TABLE_FILE) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def themes_of(tracker: Tracker) -> List[str]:
    """The themes of the latest message, in the order the message describes them."""
    entities = tracker.latest_message.get("entities") or []
    found = [entity for entity in entities if entity.get("entity") == THEME_ENTITY]
    return [entity["value"] for entity in sorted(found, key=lambda entity: entity.get("start") or 0)]


def reflected_theme(themes: Sequence[str], table: Dict[str, Any]) -> Optional[str]:
    """The first behaviour theme; a context theme (work, parent, ...) only when nothing else is described."""
    known = [theme for theme in themes if theme in table["themes"]]
    behaviour = [theme for theme in known if theme not in table["context_themes"]]
    return (behaviour or known or [None])[0]


def asks_something(text: str) -> bool:
    """Whether the message asks a question ("is that part of it? the anger", "so is taking the keys a controlling
    thing"): a question is not answered by "thank you for telling me"."""
    if "?" in text:
        return True
    for sentence in re.split(r"[.!\n]+", text.lower()):
        words = re.findall(r"[a-z']+", sentence)
        while words and words[0] in FILLERS:
            words.pop(0)
        exclaims = words[:1] == ["what"] and words[1:2] in (["a"], ["an"])  # "what a day"
        if len(words) > 2 and words[0] in QUESTION_WORDS and not exclaims:
            return True
    return False


def as_button(offer: Offer) -> Optional[Dict[str, str]]:
    if isinstance(offer, dict):
        return {"title": offer["title"], "payload": offer["payload"]}
    title = topic_titles().get(offer)
    return {"title": title, "payload": f"/{offer}"} if title else None


def theme_offers(themes: Sequence[str], table: Dict[str, Any], first: Optional[str]) -> List[Dict[str, str]]:
    """The reflected theme's topics, then the next theme's, without repeats, at most MAX_OFFERS."""
    ordered = [first] + [theme for theme in themes if theme != first] if first else list(themes)
    offers: List[Dict[str, str]] = []
    for theme in ordered[:2]:
        for offer in table["themes"].get(theme, {}).get("offers", []):
            button = as_button(offer)
            if button and button not in offers:
                offers.append(button)
    return offers[:MAX_OFFERS]


def with_helper_offer(offers: List[Dict[str, str]]) -> List[Dict[str, str]]:
    helper = as_button(HELPER_INTENT)
    return ([helper] + [offer for offer in offers if offer != helper])[:MAX_OFFERS]


class ActionHeardExperience(Action):
    def name(self) -> Text:
        return "action_heard_experience"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        table = load_table()
        texts = load_texts(TABLE_FILE)
        themes = themes_of(tracker)
        helper = tracker.get_slot(ABOUT_SLOT) == "someone_else"
        first = reflected_theme(themes, table)
        if helper and first in table["context_themes"]:
            # "my coworker comes in with bruises" is not the writer's own dread of work
            first = None
        question = False
        if first:
            dispatcher.utter_message(text=table["themes"][first]["text"])
            offers = theme_offers(themes, table, first)
        else:
            question = asks_something(tracker.latest_message.get("text") or "")
            say(dispatcher, texts, "heard_question" if question else "heard_default")
            ranking = tracker.latest_message.get("intent_ranking") or []
            # a question deserves the nearest answers there are, however unsure the classifier is of them
            offers = likely_topics(ranking, leave_out=NOT_OFFERED, min_confidence=0.0 if question else MIN_CONFIDENCE)
        if helper:
            offers = with_helper_offer(offers)
        way_back = [buttons.RESUME] if current_step(tracker) else [buttons.TOPICS]
        key = ("heard_question_offer" if question else "heard_offer") + ("_helper" if helper else "")
        say(dispatcher, texts, key, buttons=offers + way_back + [buttons.HELP_NOW])
        return []
