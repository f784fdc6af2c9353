"""`ask_parent_boundaries`: contact and boundaries with a parent, answered for the age of the person asking.

An adult can choose how much contact to keep; a child or teenager who lives with the parent usually cannot, so
they hear about safe adults and the lines for young people in their country instead (never the crisis card: the
question is not itself a danger message; the danger detector still answers any danger in it).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guide.show import say_guide_text
from actions.safety.referral import describe, find_country
from actions.safety.selection import select_lines
from actions.safety.table import CrisisTable, load_crisis_lines
from actions.safety.writer import is_under_18

Events = List[Dict[Text, Any]]
MAX_YOUNG_LINES = 2
# Lines by the categories they must all have, best first: "For adults worried about a child" lines and dating lines
# only come in when the country has nothing closer.
YOUNG_LINE_PREFERENCE = ({"child_abuse", "young_people"}, {"child_abuse"}, {"young_people"})


class ActionAnswerParentBoundaries(Action):
    def name(self) -> Text:
        return "action_answer_parent_boundaries"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        said = [event.get("text") for event in tracker.events if event.get("event") == "user"]
        if not is_under_18(tracker.latest_message.get("text"), said):
            say_guide_text(dispatcher, "parent_boundaries_adult")
            say_guide_text(dispatcher, "parent_boundaries_adult_help")
            return []
        country, _ = find_country(tracker)
        say_guide_text(dispatcher, "parent_boundaries_young")
        lines = young_people_lines(load_crisis_lines(), country)
        if lines:
            say_guide_text(dispatcher, "parent_boundaries_young_lines", lines="\n".join(f"• {line}" for line in lines))
        else:
            say_guide_text(dispatcher, "parent_boundaries_young_no_lines")
        return []


def young_people_lines(table: CrisisTable, country: Optional[str]) -> List[Text]:
    """The country's lines a young person can contact about home: a line for children and young people about abuse,
    else a child-abuse line, else a young people's line, else what the child-at-risk choice offers a young writer
    (without the emergency number); none when the country is unknown."""
    if not table.knows(country):
        return []
    in_country = table.in_country(country)
    for wanted in YOUNG_LINE_PREFERENCE:
        lines = [line for line in in_country if wanted <= set(line.categories)]
        if lines:
            break
    else:
        selection = select_lines(table, country, ["child_at_risk"], frozenset({"young"}))
        lines = [line for line in selection.lines if "emergency" not in line.categories]
    return [describe(line) for line in lines[:MAX_YOUNG_LINES]]
