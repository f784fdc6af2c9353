"""Reading the latest user message from a tracker; shared by the guide and safety actions."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity_value(tracker: Tracker, entity: str) -> Optional[Any]:
    return next(tracker.get_latest_entity_values(entity), None)
