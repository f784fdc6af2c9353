"""Helpers shared by the guide actions: where the person is, and showing a step."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.guide.path import TEXTS_FILE, GuidePath, Step, load_path
from actions.texts import load_texts, say

GUIDE_STEP_SLOT = "guide_step"
# The step a concept question was just answered about as an aside (the place on the path stays): "next" and
# "tell me more" carry on from there until a step is shown.
ASIDE_STEP_SLOT = "aside_step"


def current_step(tracker: Tracker, path: Optional[GuidePath] = None) -> Optional[Step]:
    return (path or load_path()).get(tracker.get_slot(GUIDE_STEP_SLOT))


def aside_step(tracker: Tracker, path: Optional[GuidePath] = None) -> Optional[Step]:
    """The step of the latest concept aside, while the person has not moved since."""
    return (path or load_path()).get(tracker.get_slot(ASIDE_STEP_SLOT))


def show_step(dispatcher: CollectingDispatcher, step: Step) -> List[Dict[str, Any]]:
    """Send a step with the standard buttons and remember it as the person's place on the path (asides end)."""
    dispatcher.utter_message(text=step.text, buttons=buttons.for_step())
    return [SlotSet(GUIDE_STEP_SLOT, step.name), SlotSet(ASIDE_STEP_SLOT, None)]


def say_guide_text(dispatcher: CollectingDispatcher, key: str, **kwargs: Any) -> None:
    """Send one of the guide's texts (actions/guide/texts.yml)."""
    say(dispatcher, load_texts(TEXTS_FILE), key, **kwargs)


def show_topics(dispatcher: CollectingDispatcher) -> List[Dict[str, Any]]:
    dispatcher.utter_message(response="utter_topics")
    return []
