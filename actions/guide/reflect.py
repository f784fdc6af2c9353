"""`action_reflect_feeling`: one short line reflecting how a long message says the person feels, before the answer.

`ReflectPolicy` runs it first in the reply when `LongMessageFocus` named a feeling (entity `reflect_feeling`). It
reverts itself (`ActionReverted`), so the rules answer the question as if it had not run.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.guide.path import TEXTS_FILE
from actions.texts import load_texts, say

REFLECT_ENTITY = "reflect_feeling"


def feeling_named(tracker: Tracker) -> Optional[Text]:
    return next(tracker.get_latest_entity_values(REFLECT_ENTITY), None)


class ActionReflectFeeling(Action):
    def name(self) -> Text:
        return "action_reflect_feeling"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[Dict[Text, Any]]:
        key, table = f"reflect_{feeling_named(tracker)}", load_texts(TEXTS_FILE)
        if key in table:
            say(dispatcher, table, key)
        return [ActionReverted()]
