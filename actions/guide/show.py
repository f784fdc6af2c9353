"""Helpers shared by the guide actions: where the person is, and showing a step."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.guide.path import GuidePath, Step, load_path

GUIDE_STEP_SLOT = "guide_step"


def current_step(tracker: Tracker, path: Optional[GuidePath] = None) -> Optional[Step]:
    return (path or load_path()).get(tracker.get_slot(GUIDE_STEP_SLOT))


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity_value(tracker: Tracker, entity: str) -> Optional[Any]:
    return next(tracker.get_latest_entity_values(entity), None)


def show_step(dispatcher: CollectingDispatcher, step: Step) -> List[Dict[str, Any]]:
    """Send a step with the standard buttons and remember it as the person's place on the path."""
    dispatcher.utter_message(response=step.response, buttons=buttons.for_step())
    return [SlotSet(GUIDE_STEP_SLOT, step.name)]


def show_topics(dispatcher: CollectingDispatcher) -> List[Dict[str, Any]]:
    dispatcher.utter_message(response="utter_topics")
    return []
