"""Typed questions about a concept or a stage of the guided path."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.guide.path import GuidePath, Step, load_path, named_number, parse_stage_number
from actions.guide.show import ASIDE_STEP_SLOT, current_step, say_guide_text, show_step, show_topics
from actions.tracker_values import entity_value, latest_intent

Events = List[Dict[Text, Any]]

# How `ask_next_stage` / `ask_previous_stage` move from the stage they name (or the current one).
STAGE_OFFSETS = {"ask_next_stage": 1, "ask_previous_stage": -1}


class ActionAnswerConcept(Action):
    """A question about a concept: move there, or answer as an aside when the person is elsewhere on the path.

    Within the same section (or off the path) the question is navigation; from another section it is a
    side question, so the person keeps their place and can go back to it.
    """

    def name(self) -> Text:
        return "action_answer_concept"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        path = load_path()
        current = current_step(tracker, path)
        target = path.for_intent(latest_intent(tracker), current)
        if target is None:
            return show_topics(dispatcher)
        if current is None or current.section == target.section:
            return show_step(dispatcher, target)
        dispatcher.utter_message(text=target.text)
        say_guide_text(dispatcher, "aside_keep_place", buttons=buttons.for_aside(), step_title=current.title)
        return [SlotSet(ASIDE_STEP_SLOT, target.name)]


class ActionGoToStage(Action):
    """ "stage 4", "what is love bombing?", "what comes after devaluation?": go to that stage."""

    def name(self) -> Text:
        return "action_go_to_stage"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        path = load_path()
        intent = latest_intent(tracker)
        if stage_number_out_of_range(tracker):
            say_guide_text(dispatcher, "no_such_stage")
            return []
        named = named_stage(tracker, path) or on_stage(current_step(tracker, path))
        if named is None:
            if intent in STAGE_OFFSETS:
                return show_step(dispatcher, path.stage(1))
            overview = path.get(entity_value(tracker, "step"))  # "what are the 7 stages you mentioned"
            if overview is not None:
                return show_step(dispatcher, overview)
            say_guide_text(dispatcher, "ask_which_stage")
            return []
        target = path.stage(named.stage + STAGE_OFFSETS.get(intent, 0))
        if target is None:
            return stage_out_of_range(dispatcher, path, named, intent)
        return show_step(dispatcher, target)


def named_stage(tracker: Tracker, path: GuidePath) -> Optional[Step]:
    """The stage the message names, by number or by name."""
    number = parse_stage_number(entity_value(tracker, "stage_number") or "")
    if number:
        return path.stage(number)
    name = entity_value(tracker, "stage")
    return path.stage_named(str(name)) if name else None


def stage_number_out_of_range(tracker: Tracker) -> bool:
    """ "stage 9", "stage zero": a number the person typed that is no stage of the seven."""
    value = entity_value(tracker, "stage_number")
    number = named_number(value) if value is not None else None
    return number is not None and parse_stage_number(value) is None


def on_stage(step: Optional[Step]) -> Optional[Step]:
    return step if step and step.stage else None


def stage_out_of_range(dispatcher: CollectingDispatcher, path: GuidePath, named: Step, intent: Text) -> Events:
    """Before the first or after the last stage: say so and offer the neighbours of the path."""
    text_key = "no_stage_before" if intent == "ask_previous_stage" else "no_stage_after"
    neighbour = path.get("stages") if intent == "ask_previous_stage" else path.next(named)
    say_guide_text(dispatcher, text_key, buttons=[buttons.go_to(neighbour, neighbour.title), buttons.TOPICS])
    return []
