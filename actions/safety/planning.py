"""`action_safety_planning_line`: the domestic abuse line of the person's country, after a safety-planning answer.

The answers themselves are domain responses (data/rules/safety_planning.yml). This action adds the line to plan with,
from the same crisis line table as the referral (an organisation's own file included), so no number is written twice:
the country the person named, else the widget's (remembered as the referral does), else Find a Helpline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.referral import describe, find_country, writer_of
from actions.safety.selection import select_lines
from actions.safety.table import CrisisLine, CrisisTable, load_crisis_lines
from actions.safety.writer import LASTING_GROUPS
from actions.texts import load_texts, say

TEXTS_FILE = Path(__file__).with_name("planning_texts.yml")
PLANNING_NEED = ["violence"]  # the domestic abuse line first, as for partner violence

Events = List[Dict[Text, Any]]


class ActionSafetyPlanningLine(Action):
    def name(self) -> Text:
        return "action_safety_planning_line"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> Events:
        table = load_crisis_lines()
        country, events = find_country(tracker)
        line = planning_line(table, country, writer_of(tracker, None) & LASTING_GROUPS)
        texts = load_texts(TEXTS_FILE)
        if line is None:
            say(dispatcher, texts, "planning_line_unknown_country")
        else:
            say(dispatcher, texts, "planning_line", country_name=table.country_name(line.country), line=describe(line))
        return events


def planning_line(table: CrisisTable, country: Optional[str], writer=frozenset()) -> Optional[CrisisLine]:
    """The first domestic abuse line that fits the writer in that country; None when the country is unknown."""
    selection = select_lines(table, country, PLANNING_NEED, writer)
    if not selection.country_known:
        return None
    abuse_lines = [line for line in selection.lines if "partner_abuse" in line.categories]
    return (abuse_lines or [line for line in selection.lines if "emergency" not in line.categories] or [None])[0]
