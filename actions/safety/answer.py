"""Follow-ups inside the crisis flow (docs/safety.md, "Answers"): new danger in an answer, and questions about a sign.

- `action_crisis_answer`: the answer to "are you safe right now?" (or to the clarifying question, or a message after
  the emergency guidance) brings new danger, which the danger detector found as always. It is a new referral for
  that danger, not the same lines again: an answer that says "not safe" gets the emergency guidance (unless it was
  just given); a danger the earlier lines did not cover gets its framing, its lines and any warning sign; a warning
  sign alone ("is the neck thing serious?") gets its text and the lines as a compact card; no new danger gets a
  safe answer's reply or a short acknowledgement. It never asks "are you safe?" again.
- `action_warning_sign`: "is the neck thing serious?", "should I move it [the gun]?": the text for the warning sign
  named now or in an earlier danger message (or the general one), then the lines as a compact card.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.referral import (
    CHECK_IN,
    NEEDS_COUNTRY_SLOT,
    Disclosure,
    emergency_number,
    find_country,
    safety_texts,
    say_warning_signs,
    send_lines,
    writer_of,
)
from actions.safety.selection import select_lines
from actions.safety.table import load_crisis_lines
from actions.safety.warning_signs import find_signs, sign_text_keys
from actions.texts import say

Events = List[Dict[Text, Any]]

GUIDANCE = "utter_emergency_guidance"
# The classifier's own reading of an answer that says "not safe" (kept in the ranking under `danger`).
NOT_SAFE_INTENTS = ("not_safe_now", "deny", "help_now")
NOT_SAFE_START = re.compile(r"^\W*(no+|nope|nah|not (really|rly|safe|at all)|i'?m not|im not|i am not)\b", re.I)
UNNAMED = "unspecified"
SAFE_START = re.compile(r"^\W*(yes|yeah|yep|ya|yh|safe|i'?m (safe|ok|okay|fine))\b", re.I)


class ActionCrisisAnswer(Action):
    def name(self) -> Text:
        return "action_crisis_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        table = load_crisis_lines()
        country, events = find_country(tracker)
        disclosure = Disclosure.from_message(tracker)
        new = new_categories(disclosure.categories, categories_shown_before(tracker))
        if says_not_safe(tracker, disclosure) and last_bot_action(tracker) != GUIDANCE:
            dispatcher.utter_message(response=GUIDANCE)
        elif new:
            say(dispatcher, safety_texts(), disclosure.framing, emergency_number=emergency_number(table, country))
        if new:
            selection = select_lines(table, country, new, disclosure.writer)
            send_lines(
                dispatcher,
                table,
                selection,
                Disclosure(new, disclosure.about_other, disclosure.negated, disclosure.writer),
            )
            say_warning_signs(dispatcher, tracker, disclosure)
            return events + [SlotSet(NEEDS_COUNTRY_SLOT, not selection.country_known)]
        if asks_about_a_sign(tracker) or find_signs([tracker.latest_message.get("text")]):
            # "is the neck thing serious?": the sign's text and the lines again, as a compact card
            return await ActionWarningSign().run(dispatcher, tracker, domain)
        if not dispatcher.messages:
            acknowledge(dispatcher, tracker)
        return events


def new_categories(categories: Tuple[Text, ...], shown: Tuple[Text, ...]) -> Tuple[Text, ...]:
    """The named dangers the lines shown before did not cover ("unspecified" adds nothing once lines were shown)."""
    return tuple(category for category in categories if category not in shown and not (shown and category == UNNAMED))


def asks_about_a_sign(tracker: Tracker) -> bool:
    return top_other_intent(tracker) == "ask_warning_sign"


def acknowledge(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """No new danger named: a safe answer is met as one ("safe for tonight, he's away"), anything else briefly."""
    text = tracker.latest_message.get("text") or ""
    if SAFE_START.search(text) or top_other_intent(tracker) in ("safe_now", "affirm"):
        dispatcher.utter_message(response="utter_safe_now_glad")
    else:
        say(dispatcher, safety_texts(), "answer_same_danger")


class ActionWarningSign(Action):
    def name(self) -> Text:
        return "action_warning_sign"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        table = load_crisis_lines()
        country, events = find_country(tracker)
        signs, categories, danger_text = sign_in_conversation(tracker)
        for key in sign_text_keys(signs) or ["warning_sign_general"]:
            say(dispatcher, safety_texts(), key)
        # a compact card (CheckInPolicy adds no second one after this action)
        disclosure = Disclosure(categories, writer=writer_of(tracker, danger_text))
        send_lines(dispatcher, table, select_lines(table, country, categories, disclosure.writer), disclosure, CHECK_IN)
        return events


def says_not_safe(tracker: Tracker, disclosure: Disclosure) -> bool:
    """The answer says "not safe": in so many words, by the classifier's own reading, or by naming danger now."""
    text = tracker.latest_message.get("text") or ""
    if NOT_SAFE_START.search(text):
        return True
    if SAFE_START.search(text):
        return False
    if top_other_intent(tracker) in NOT_SAFE_INTENTS:
        return True
    return "immediate_danger" in disclosure.categories and not disclosure.about_other


def top_other_intent(tracker: Tracker) -> Optional[Text]:
    """The classifier's best reading of the message other than `danger` (kept in the ranking under it)."""
    ranking = [
        entry.get("name")
        for entry in tracker.latest_message.get("intent_ranking") or []
        if entry.get("name") not in ("danger", "nlu_fallback")
    ]
    return ranking[0] if ranking else None


def earlier_user_events(tracker: Tracker) -> Iterator[Dict[Text, Any]]:
    """The person's messages before the latest one, latest first."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    return reversed(users[:-1])


def danger_categories(event: Dict[Text, Any]) -> Tuple[Text, ...]:
    parse = event.get("parse_data") or {}
    details = parse.get("danger") or {}
    if details.get("categories"):
        return tuple(details["categories"])
    found = [e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "danger_category"]
    if found:
        return tuple(found)
    intent = (parse.get("intent") or {}).get("name")
    return ("unspecified",) if intent in ("danger", "help_now") else ()


def categories_shown_before(tracker: Tracker) -> Tuple[Text, ...]:
    """The categories the lines were shown for, from the danger or help messages before this one."""
    shown: List[Text] = []
    for event in earlier_user_events(tracker):
        shown += [category for category in danger_categories(event) if category not in shown]
    return tuple(shown)


def sign_in_conversation(tracker: Tracker) -> Tuple[List[Text], Tuple[Text, ...], Optional[Text]]:
    """The warning signs in this message, else in the latest earlier danger message that names one; with that
    message's categories (for the lines) and text (for who is writing)."""
    latest = tracker.latest_message
    candidates = [(latest.get("text"), danger_categories({"parse_data": latest}))]
    candidates += [
        (event.get("text"), danger_categories(event))
        for event in earlier_user_events(tracker)
        if danger_categories(event)
    ]
    for text, categories in candidates:
        signs = find_signs([text])
        if signs:
            return signs, categories or ("violence",), text
    text, categories = candidates[1] if len(candidates) > 1 else (None, ("violence",))
    return [], categories, text


def last_bot_action(tracker: Tracker) -> Optional[Text]:
    """The last action before the latest message, other than listening and Rasa's own bookkeeping."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif (
            seen_user
            and event.get("event") == "action"
            and event.get("name") not in ("action_listen", "action_extract_slots", "action_unlikely_intent")
        ):
            return event.get("name")
    return None
