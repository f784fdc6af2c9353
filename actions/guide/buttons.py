"""The buttons that travel with the guide's messages, in one place so every step offers the same ones."""

from __future__ import annotations

import json
from typing import Dict, List

from actions.guide.path import Step

Button = Dict[str, str]

CONTINUE = {"title": "Continue", "payload": "/continue"}
TELL_MORE = {"title": "Tell me more", "payload": "/tell_more"}
TOPICS = {"title": "Back to topics", "payload": "/show_topics"}
HELP_NOW = {"title": "I need help now", "payload": "/help_now"}
RESUME = {"title": "Carry on where we left off", "payload": "/resume"}
# After an aside, "continue" goes on from the aside's step (actions/guide/navigation.py).
FROM_HERE = {"title": "Carry on from here", "payload": "/continue"}


def go_to(step: Step, title: str) -> Button:
    return {"title": title, "payload": "/go_to_step" + json.dumps({"step": step.name})}


def for_step() -> List[Button]:
    return [CONTINUE, TELL_MORE, TOPICS, HELP_NOW]


def after_more() -> List[Button]:
    return [CONTINUE, TOPICS, HELP_NOW]


def for_aside() -> List[Button]:
    """After a concept answered as an aside: carry on from the person's place, or from the aside."""
    return [RESUME, FROM_HERE, HELP_NOW]
