"""What the action tests build and read: a rasa_sdk Tracker as the Rasa server sends one, and what a dispatcher sent."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guide.path import TEXTS_FILE as GUIDE_TEXTS_FILE
from actions.guide.path import load_path
from actions.texts import load_texts


def make_tracker(
    intent: str = "greet",
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    metadata: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    latest_message = {
        "text": text or f"/{intent}",
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id="test-sender",
        slots=slots or {},
        latest_message=latest_message,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def entity(name: str, value: Any) -> Dict[str, Any]:
    return {"entity": name, "value": value}


async def run_action(action, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    return await action.run(dispatcher, tracker, {})


def texts(dispatcher: CollectingDispatcher) -> List[str]:
    """What the person reads: the text of each message (a domain response's name when one was sent by name)."""
    return [message.get("text") or message.get("response") for message in dispatcher.messages]


def step_text(name: str, more: bool = False) -> str:
    step = load_path().get(name)
    return step.more if more else step.text


def guide_text(key: str, **values: Any) -> str:
    entry = load_texts(GUIDE_TEXTS_FILE)[key]
    return (entry["text"] if isinstance(entry, dict) else entry).format(**values)


def button_payloads(dispatcher: CollectingDispatcher) -> List[str]:
    return [button["payload"] for message in dispatcher.messages for button in message.get("buttons", [])]


def slot_value(events: List[Dict[str, Any]], slot: str) -> Any:
    values = [event["value"] for event in events if event.get("event") == "slot" and event.get("name") == slot]
    assert values, f"the action did not set {slot}"
    return values[-1]
