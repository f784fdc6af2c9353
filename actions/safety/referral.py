"""`action_crisis_referral`: crisis lines for the person's country and what they told us (docs/safety.md).

It runs after `utter_crisis_essentials` (a domain response, so the essentials arrive even when this server is down).
It frames the referral (for the writer, for someone else, gently for a negated mention, for a child, for someone who
has hurt or fears hurting someone), then sends the lines that fit the message and who is writing (writer.py) twice
over: readable text for any channel, and a `crisis_referral` payload the web widget turns into buttons.
On `inform_country` it shows the lines for that country if the last referral had to go without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.selection import Selection, normalise_country, select_lines
from actions.safety.table import CrisisLine, CrisisTable, load_crisis_lines
from actions.safety.warning_signs import sign_text_keys, signs_in_danger
from actions.safety.writer import LASTING_GROUPS, read_writer
from actions.texts import load_texts, say
from actions.tracker_values import entity_value, latest_intent

TEXTS_FILE = Path(__file__).with_name("texts.yml")

Events = List[Dict[Text, Any]]

COUNTRY_SLOT, WIDGET_COUNTRY_SLOT, NEEDS_COUNTRY_SLOT = "country", "widget_country", "referral_needs_country"
DANGER_SLOTS = ("danger_category", "danger_subject", "danger_negated")
URGENT, CHECK_IN = "urgent", "check_in"  # the levels of docs/safety.md
# Danger found without a lexicon match: the scorer's or the classifier's reading, which cannot tell who is at risk.
GUESSED_SOURCES = ("scorer", "classifier")
ABOUT_SLOT = "about"  # "self" or "someone_else", from what the person said ("my sister", "help her", "about me")


# The intents whose answer puts a group's lines first, on its own card or on a check-in's: "can men be in this too?",
# "should I tell a teacher?", "is there anything for gay people?", "is there anyone for older people?"
GROUP_ASKING = {
    "ask_men_too": "man",
    "ask_tell_trusted_adult": "young",
    "ask_lgbtq_too": "lgbtq",
    "ask_older_people": "older",
}


@dataclass(frozen=True)
class Disclosure:
    """What the person told us: the danger categories (most urgent first), about whom, how, and who is writing."""

    categories: Tuple[str, ...] = ("unspecified",)
    about_other: bool = False
    negated: bool = False
    writer: FrozenSet[str] = frozenset()

    @classmethod
    def from_message(cls, tracker: Tracker) -> Disclosure:
        """From the danger detector's output on the latest message (its attribute, or else its entities)."""
        details = tracker.latest_message.get("danger") or {}
        category = details.get("category") or entity_value(tracker, "danger_category") or "unspecified"
        about_other = details.get("about_other", entity_value(tracker, "danger_subject") == "other")
        if details.get("source") in GUESSED_SOURCES:
            # No words said who is at risk: the card speaks to a helper only when the person said they are one
            # (trial 8: "he's on his way back... i need to go" got "it's caring of you to look out for them").
            about_other = about_other and tracker.get_slot(ABOUT_SLOT) == "someone_else"
        return cls(
            categories=tuple(details.get("categories") or [category]),
            about_other=about_other,
            negated=details.get("negated", entity_value(tracker, "danger_negated") == "true"),
            writer=writer_of(tracker, tracker.latest_message.get("text"), about_other),
        )

    @classmethod
    def from_slots(cls, tracker: Tracker) -> Disclosure:
        """From the slots the latest danger message filled (for a country given afterwards)."""
        about_other = tracker.get_slot("danger_subject") == "other"
        return cls(
            categories=(tracker.get_slot("danger_category") or "unspecified",),
            about_other=about_other,
            negated=tracker.get_slot("danger_negated") == "true",
            writer=writer_of(tracker, last_danger_text(tracker), about_other),
        )

    @property
    def framing(self) -> Text:
        if self.negated:
            return "crisis_framing_gentle"
        if "uses_abuse" in self.writer:  # never "it's caring of you to look out for them"
            return "crisis_framing_uses_abuse"
        if self.categories[0] == "child_at_risk":
            return "crisis_framing_child"
        if self.categories[0] == "harm_to_others":
            return "crisis_framing_harm"
        return "crisis_framing_other" if self.about_other else "crisis_framing_self"


def safety_texts() -> Dict[Text, Any]:
    return load_texts(TEXTS_FILE)


class ActionCrisisReferral(Action):
    """Frame the referral, then the lines for the country and the danger categories, as text and as a payload."""

    def __init__(self) -> None:
        load_crisis_lines()  # the action server instantiates actions at start-up: a bad table stops it there

    def name(self) -> Text:
        return "action_crisis_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        table = load_crisis_lines()
        country, events = find_country(tracker)
        intent = latest_intent(tracker)
        if intent == "inform_country":
            if not tracker.get_slot(NEEDS_COUNTRY_SLOT) and table.knows(country):
                say(dispatcher, safety_texts(), "country_noted", country_name=table.country_name(country))
                return events
            disclosure = Disclosure.from_slots(tracker)
        elif intent == "danger":
            disclosure = Disclosure.from_message(tracker)
            if entity_value(tracker, "language"):  # not in English: say so in that language (utter_other_language)
                dispatcher.utter_message(response="utter_other_language")
            say(dispatcher, safety_texts(), disclosure.framing, emergency_number=emergency_number(table, country))
        else:  # "I need help now": the general lines, and no danger details left over from before
            disclosure = Disclosure(writer=writer_of(tracker, None) & LASTING_GROUPS)
            events += [SlotSet(slot, None) for slot in DANGER_SLOTS]
        selection = select_lines(table, country, disclosure.categories, disclosure.writer)
        send_lines(dispatcher, table, selection, disclosure)
        if intent == "danger":  # after the card, before "are you safe right now?"
            say_warning_signs(dispatcher, tracker, disclosure)
        return events + [SlotSet(NEEDS_COUNTRY_SLOT, not selection.country_known)]


def say_warning_signs(dispatcher: CollectingDispatcher, tracker: Tracker, disclosure: Disclosure) -> List[Text]:
    """Name the serious warning signs in the danger message (warning_signs.py), as general information, after the
    lines; never to
    someone writing about their own abusive behaviour, nor for a negated mention."""
    if disclosure.negated or "uses_abuse" in disclosure.writer:
        return []
    signs = signs_in_danger(tracker.latest_message.get("danger") or {}, tracker.latest_message.get("text"))
    for key in sign_text_keys(signs):
        say(dispatcher, safety_texts(), key)
    return signs


def writer_of(tracker: Tracker, text: Optional[Text], about_other: bool = False) -> FrozenSet[str]:
    """Who is writing: from the danger message, and (men, young, LGBTQ+, older) from anything they wrote before or
    from the question they asked ("is there anyone for older people?")."""
    earlier = [event.get("text") for event in tracker.events if event.get("event") == "user"]
    groups = read_writer(text, earlier)
    groups |= _groups_asked(tracker)
    if about_other and "uses_abuse" not in groups:
        groups |= {"helper"}
    return groups


def _groups_asked(tracker: Tracker) -> FrozenSet[str]:
    """The group of the question just asked, and the lasting ones (men, LGBTQ+, older) of questions asked before."""
    asked = (tracker.latest_message.get("intent") or {}).get("name")
    groups = {GROUP_ASKING[asked]} if asked in GROUP_ASKING else set()
    for event in tracker.events:
        earlier = (
            ((event.get("parse_data") or {}).get("intent") or {}).get("name") if event.get("event") == "user" else None
        )
        if earlier in GROUP_ASKING and GROUP_ASKING[earlier] in LASTING_GROUPS:
            groups.add(GROUP_ASKING[earlier])
    return frozenset(groups)


def last_danger_text(tracker: Tracker) -> Optional[Text]:
    """The text of the latest danger message before this one (for a country given after the referral)."""
    for event in reversed(tracker.events):
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if event.get("event") == "user" and intent == "danger":
            return event.get("text")
    return None


def emergency_number(table: CrisisTable, country: Optional[str]) -> Text:
    line = next((line for line in table.in_country(country) if "emergency" in line.categories), None)
    return line.phone if line and line.phone else "your local emergency number"


def find_country(tracker: Tracker) -> Tuple[Optional[str], Events]:
    """The country the person named (now or before), else the one the widget sends; and the slots to remember."""
    events: Events = []
    named = normalise_country(entity_value(tracker, "country"))
    if named and named != tracker.get_slot(COUNTRY_SLOT):
        events.append(SlotSet(COUNTRY_SLOT, named))
    widget = normalise_country((tracker.latest_message.get("metadata") or {}).get("country"))
    if widget and widget != tracker.get_slot(WIDGET_COUNTRY_SLOT):
        events.append(SlotSet(WIDGET_COUNTRY_SLOT, widget))
    country = (
        named
        or normalise_country(tracker.get_slot(COUNTRY_SLOT))
        or widget
        or normalise_country(tracker.get_slot(WIDGET_COUNTRY_SLOT))
    )
    return country, events


def send_lines(
    dispatcher: CollectingDispatcher,
    table: CrisisTable,
    selection: Selection,
    disclosure: Disclosure,
    level: Text = URGENT,
) -> None:
    """The lines as text (for any channel), then as the `crisis_referral` payload; the payload names the text it
    stands for (`lines_text`), so the web widget can show the card instead of both."""
    lines = "\n".join(f"• {describe(line)}" for line in selection.lines)
    if selection.country_known:
        key, values = "crisis_lines", {"country_name": table.country_name(selection.country)}
    else:
        key, values = "crisis_lines_unknown_country", {}
    before = len(dispatcher.messages)
    say(dispatcher, safety_texts(), key, lines=lines, **values)
    shown = dispatcher.messages[before]["text"] if len(dispatcher.messages) > before else None
    dispatcher.utter_message(json_message=payload(selection, disclosure, level, lines_text=shown))


def payload(
    selection: Selection, disclosure: Disclosure, level: Text = URGENT, lines_text: Optional[Text] = None
) -> Dict[Text, Any]:
    return {
        "type": "crisis_referral",
        "level": level,
        "lines_text": lines_text,
        "category": disclosure.categories[0],
        "categories": list(disclosure.categories),
        "country": selection.country,
        "about_other": disclosure.about_other,
        "negated": disclosure.negated,
        "lines": [line.payload() for line in selection.lines],
    }


def describe(line: CrisisLine) -> Text:
    """One line as readable text: "Shout: text SHOUT to 85258 (24/7)"."""
    ways = _ways(line)
    text = f"{line.name}: {_join(ways)}" if ways else line.name
    text += f" ({line.hours})" if line.hours else ""
    return text + (f". {line.notes}" if line.notes else "")


def _ways(line: CrisisLine) -> List[Text]:
    ways = [f"call {line.phone}"] if line.phone else []
    ways += [line.text] if line.text else ([f"text {line.sms_number}"] if line.sms_number else [])
    ways += [f"chat at {line.chat_url}"] if line.chat_url else []
    ways += [line.web_url] if line.web_url else []
    return ways


def _join(ways: Sequence[Text]) -> Text:
    return ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + " or " + ways[-1]
