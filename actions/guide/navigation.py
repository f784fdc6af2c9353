"""Moving along the guided path: continue, previous, tell me more, resume, go to a step."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.guide.path import Step, load_path
from actions.guide.show import aside_step, current_step, say_guide_text, show_step, show_topics
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
        return show_step_or_end(dispatcher, path.next(current) if current else path.steps[0])


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
        return show_step_or_end(dispatcher, path.next(current))


class ActionGoToStep(Action):
    """`go_to_step` (topic buttons, "take me to the stages"): jump to the named step."""

    def name(self) -> Text:
        return "action_go_to_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        step = load_path().get(entity_value(tracker, "step"))
        return show_step(dispatcher, step) if step else show_topics(dispatcher)


def show_step_or_end(dispatcher: CollectingDispatcher, step: Optional[Step]) -> Events:
    """Show a step, or say that the path is done when there is none."""
    if step is None:
        say_guide_text(dispatcher, "path_end", buttons=[buttons.TOPICS, buttons.HELP_NOW])
        return []
    return show_step(dispatcher, step)
