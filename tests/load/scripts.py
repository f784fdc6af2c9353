"""Scripted conversations for the load run, each turn with the replies the assistant must give, in order.

Only turns whose replies are deterministic (one variation, no randomness): the guided path by buttons and by
typing, an aside and the way back, and the opening. Expected texts come from domain.yml and the guide's files,
so a changed reply changes the expectation instead of failing the run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Dict, List, Tuple

import yaml

from tests.replies import DOMAIN_FILE
from tests.support.actions import guide_text, step_text

OPENING = ("utter_intro", "utter_privacy_short", "utter_ask_safe_to_chat")


@dataclass(frozen=True)
class Turn:
    message: str
    replies: Tuple[str, ...]  # the text of every bot message, in the order they must arrive


@functools.cache
def domain_responses() -> Dict[str, List[dict]]:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]


def response_text(name: str) -> str:
    """The text of a domain response that has exactly one variation (so its reply is deterministic)."""
    variations = domain_responses()[name]
    assert len(variations) == 1, f"{name} has {len(variations)} variations: not deterministic"
    return variations[0]["text"]


def replies(*names: str) -> Tuple[str, ...]:
    return tuple(response_text(name) for name in names)


def step(name: str, more: bool = False) -> Tuple[str, ...]:
    return (step_text(name, more=more),)


def opening(message: str = "/greet") -> List[Turn]:
    return [Turn(message, replies(*OPENING)), Turn("/affirm", replies("utter_topics"))]


def twenty_turns() -> List[Turn]:
    """Opening, the seven stages, an aside and back, "tell me more", into coping: 20 turns."""
    turns = opening() + [
        Turn('/go_to_step{"step": "stages"}', step("stages")),
        Turn("/continue", step("stage_love_bombing")),
        Turn("next", step("stage_dependency")),
        Turn(
            "what is gaslighting?",
            replies("utter_faq_gaslighting") + (guide_text("offer_resume", step_title="Stage 2: dependency"),),
        ),
        Turn("/resume", step("stage_devaluation")),  # carries on after the step last read
        Turn("tell me more", step("stage_devaluation", more=True)),
    ]
    following = [
        "stage_manipulation",
        "stage_resignation",
        "stage_loss_of_self",
        "stage_addiction",
        "coping",
        "cope_recognise",
    ]
    turns += [Turn("/continue" if i % 2 == 0 else "next", step(name)) for i, name in enumerate(following)]
    turns.append(Turn("tell me more", step("cope_recognise", more=True)))
    turns += [
        Turn("/continue" if i % 2 == 0 else "next", step(name))
        for i, name in enumerate(
            ["cope_seek_support", "cope_self_care", "cope_create_distance", "cope_therapy", "cope_withdrawal"]
        )
    ]
    assert len(turns) == 20
    return turns


def short_conversations() -> List[List[Turn]]:
    """Four kinds of short visit (3-4 turns); the load run cycles through them."""
    offer_next = (guide_text("offer_next"),)
    return [
        opening() + [Turn('/go_to_step{"step": "coping"}', step("coping")), Turn("/continue", step("cope_recognise"))],
        [
            Turn("hello", replies(*OPENING)),
            Turn("what is gaslighting?", replies("utter_faq_gaslighting") + offer_next),
            Turn("/deny", replies("utter_topics")),
            Turn(
                "is my boyfriend a narcissist?", replies("utter_cannot_label_other", "utter_reflect_other") + offer_next
            ),
        ],
        [
            Turn("/greet", replies(*OPENING)),
            Turn("/deny", replies("utter_not_safe_to_chat")),
            Turn("what can you do?", replies("utter_capabilities", "utter_topics")),
        ],
        opening("hi there") + [Turn('/go_to_step{"step": "stages"}', step("stages"))],
    ]
