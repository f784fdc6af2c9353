"""Moving along the guided path: continue, previous, tell me more, resume, go to a step."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.guide.path import Step, load_path
from actions.guide.show import GUIDE_STEP_SLOT, aside_step, current_step, say_guide_text, show_step, show_topics
from actions.tracker_values import entity_value

Events = List[Dict[Text, Any]]


class ActionNextStep(Action):
    """`continue`: the step after the current one (after an aside: after the aside's step); the first step when not
    on the path yet."""

    def name(self) -> Text:
        return "action_next_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        path = load_path()
        current = aside_step(tracker, path) or current_step(tracker, path)
        return show_step_or_end(dispatcher, tracker, path.next(current) if current else path.steps[0])


class ActionPreviousStep(Action):
    """`previous`: the step before the current one (the first step stays where it is); after an aside, "go back"
    means back to where we were."""

    def name(self) -> Text:
        return "action_previous_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        path = load_path()
        current = current_step(tracker, path)
        if current is None:
            return show_topics(dispatcher)
        if aside_step(tracker, path) is not None:
            return show_step(dispatcher, current)
        return show_step(dispatcher, path.previous(current) or current)


class ActionTellMore(Action):
    """`tell_more`: the current step's example (after an aside: the aside's, with the way back to the place)."""

    def name(self) -> Text:
        return "action_tell_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        aside = aside_step(tracker)
        if aside is not None:
            dispatcher.utter_message(text=aside.more, buttons=[buttons.RESUME] + buttons.after_more())
            return []
        current = current_step(tracker)
        if current is None:
            return show_topics(dispatcher)
        dispatcher.utter_message(text=current.more, buttons=buttons.after_more())
        return []


class ActionResumeStep(Action):
    """`resume` (or a "yes" that answers no question): carry on where the person left off, with the step after the
    one they last read; the step they read is not shown again ("go back" does that)."""

    def name(self) -> Text:
        return "action_resume_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        path = load_path()
        current = current_step(tracker, path)
        if current is None:
            return show_topics(dispatcher)
        return show_step_or_end(dispatcher, tracker, path.next(current))


class ActionGoToStep(Action):
    """`go_to_step` (topic buttons, "take me to the stages"): jump to the named step."""

    def name(self) -> Text:
        return "action_go_to_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        step = load_path().get(entity_value(tracker, "step"))
        return show_step(dispatcher, step) if step else show_topics(dispatcher)


def show_step_or_end(dispatcher: CollectingDispatcher, tracker: Tracker, step: Optional[Step]) -> Events:
    """Show a step, or, when there is none, the end of the path: its closing words for someone who walked it, and
    for someone who jumped straight to the last step ("where can I find help", then "ok") the other topics."""
    if step is None:
        end = "path_end" if walked_most_of_the_path(tracker) else "path_end_not_walked"
        say_guide_text(dispatcher, end, buttons=[buttons.TOPICS, buttons.HELP_NOW])
        return []
    return show_step(dispatcher, step)


def walked_most_of_the_path(tracker: Tracker) -> bool:
    """At least half of the path's steps were shown in this conversation."""
    shown = {
        event.get("value")
        for event in tracker.events
        if event.get("event") == "slot" and event.get("name") == GUIDE_STEP_SLOT and event.get("value")
    }
    return 2 * len(shown) >= len(load_path().steps)
