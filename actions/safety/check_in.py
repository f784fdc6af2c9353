"""`action_crisis_check_in`: one warm line and a compact card of the lines, after the reply (docs/safety.md).

For a message that mentions danger at the `check_in` level (past violence, an indirect or uncertain mention,
someone else's situation told in passing): the rules and stories have already answered what the person said;
`CheckInPolicy` runs this action last. It neither moves the conversation nor asks "are you safe?": it reverts itself
(`ActionReverted`), so the conversation goes on exactly as after the reply, while the person keeps the card.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.referral import CHECK_IN, Disclosure, find_country, safety_texts, say_warning_signs, send_lines
from actions.safety.selection import select_lines
from actions.safety.table import load_crisis_lines
from actions.texts import say


class ActionCrisisCheckIn(Action):
    def name(self) -> Text:
        return "action_crisis_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        table = load_crisis_lines()
        country, _ = find_country(tracker)  # remembered by the next referral; this action changes nothing
        disclosure = Disclosure.from_message(tracker)
        say(dispatcher, safety_texts(), "check_in_other" if disclosure.about_other else "check_in_self")
        say_warning_signs(dispatcher, tracker, disclosure)
        selection = select_lines(table, country, disclosure.categories, disclosure.writer)
        send_lines(dispatcher, table, selection, disclosure, CHECK_IN)
        return [ActionReverted()]
