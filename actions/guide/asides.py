"""After an aside (a free question, a feeling, a request for a label): offer the way back to the path."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import buttons
from actions.guide.path import load_path
from actions.guide.show import current_step, say_guide_text
from actions.tracker_values import entity_value, latest_intent

Events = List[Dict[Text, Any]]

RELATIONSHIPS = ("partner", "parent", "friend", "boss")


class ActionOfferResume(Action):
    """Offer to pick up the path where it was, one related step, the topics and help.

    Never changes the person's place on the path, so "back to where we were" returns to the same step.
    """

    def name(self) -> Text:
        return "action_offer_resume"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        path = load_path()
        current = current_step(tracker, path)
        related = path.related_step(latest_intent(tracker))
        offers = [buttons.RESUME] if current else []
        if related and related != current:
            offers.append(buttons.go_to(related, f"About {lower_first(related.title)}"))
        offers += [buttons.TOPICS, buttons.HELP_NOW]
        if current:
            say_guide_text(dispatcher, "offer_resume", buttons=offers, step_title=current.title)
        else:
            say_guide_text(dispatcher, "offer_next", buttons=offers)
        return []


class ActionExplainContext(Action):
    """`ask_context`: how a trauma bond can look with a partner, parent, friend or boss."""

    def name(self) -> Text:
        return "action_explain_context"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        relationship = str(entity_value(tracker, "relationship") or "").lower()
        if relationship in RELATIONSHIPS:
            say_guide_text(dispatcher, f"context_{relationship}")
        else:
            say_guide_text(dispatcher, "ask_which_context")
        return []


def lower_first(title: str) -> str:
    return title[:1].lower() + title[1:]
