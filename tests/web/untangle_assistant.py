"""What the real assistant says, read from its own files, for the browser tests and the fake Rasa server.

Button titles and texts come from domain.yml (responses), actions/guide/buttons.py (the guide's step buttons),
actions/guide/steps.yml (step texts) and actions/safety/ (crisis texts), so the tests click what a person would see
with the trained assistant, and the fake server (untangle_web_servers.py) says the same.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import yaml

from actions.guide import buttons as guide_buttons
from actions.guide.path import Step, load_path
from actions.safety.table import load_crisis_lines
from tests.replies import ROOT, domain, payload_as_sent

Button = Dict[str, str]
SAFETY_TEXTS_FILE = ROOT / "actions" / "safety" / "texts.yml"


def response(name: str) -> Dict[str, Any]:
    """The unconditional variation of a domain response (the one sent when no slot condition applies)."""
    variations = [v for v in domain()["responses"][name] if not v.get("condition")]
    assert variations, f"{name} has no variation without a condition"
    variation = variations[0]
    if "buttons" not in variation:
        return variation
    return {
        **variation,
        "buttons": [{**button, "payload": payload_as_sent(button["payload"])} for button in variation["buttons"]],
    }


def title_for(buttons: List[Button], payload: str) -> str:
    """The title of the button that sends this payload."""
    titles = [button["title"] for button in buttons if button["payload"] == payload]
    assert titles, f"no button sends {payload!r}: {buttons}"
    return titles[0]


def go_to_step_payload(step: str) -> str:
    return guide_buttons.go_to(load_path().get(step), "")["payload"]


def step(name: str) -> Step:
    found = load_path().get(name)
    assert found, f"no step {name!r} in actions/guide/steps.yml"
    return found


def next_step(name: str) -> Step:
    return load_path().next(step(name))


def safety_text(key: str, **values: str) -> str:
    entry = yaml.safe_load(SAFETY_TEXTS_FILE.read_text(encoding="utf-8"))["texts"][key]
    return (entry["text"] if isinstance(entry, dict) else entry).format(**values)


def country_name(code: str) -> str:
    return load_crisis_lines().country_name(code)


# The opening question (utter_ask_safe_to_chat) and the topics (utter_topics).
SAFE_TO_CHAT = response("utter_ask_safe_to_chat")
SAFE_YES = title_for(SAFE_TO_CHAT["buttons"], "/affirm")  # "Yes, I can chat"
TOPICS = response("utter_topics")
TOPIC_WHAT_IS = title_for(TOPICS["buttons"], go_to_step_payload("what_is"))  # "What a trauma bond is"

# The buttons that travel with every step (actions/guide/buttons.py), and those after "tell me more".
STEP_BUTTONS: List[Button] = guide_buttons.for_step()
AFTER_MORE_BUTTONS: List[Button] = guide_buttons.after_more()
CONTINUE = guide_buttons.CONTINUE["title"]
TELL_MORE = guide_buttons.TELL_MORE["title"]
HELP_NOW = guide_buttons.HELP_NOW["title"]  # the reply option; the widget's own button is "Get help now"

# What the person sends with each of those buttons.
PAYLOADS = {
    SAFE_YES: "/affirm",
    TOPIC_WHAT_IS: go_to_step_payload("what_is"),
    CONTINUE: guide_buttons.CONTINUE["payload"],
    TELL_MORE: guide_buttons.TELL_MORE["payload"],
    HELP_NOW: guide_buttons.HELP_NOW["payload"],
}


def parse_go_to_step(message: str) -> str:
    """'/go_to_step{"step": "what_is"}' -> "what_is" """
    return json.loads(message[len("/go_to_step") :])["step"]
