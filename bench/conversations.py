"""The scripted conversations the load client plays, one list of turns per bot.

Every turn expects a reply; the first message of a conversation also expects a given response (the bot's opening,
or on the crisis path the crisis referral's first message). Each conversation is
played with a fresh sender id, so every run starts at the beginning of a conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Tuple

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


@dataclass(frozen=True)
class Turn:
    text: str
    # When set, one of the bot's messages must be one of these texts (else the turn counts as a wrong reply).
    expect_any_of: Optional[FrozenSet[str]] = None


# The `rasa init` moodbot: its intents greet, mood_unhappy, affirm, bot_challenge, mood_great, goodbye.
STOCK_CONVERSATIONS: Tuple[Tuple[str, ...], ...] = (
    ("hi", "I am sad", "yes", "are you a bot?", "bye"),
    ("hello there", "I am feeling very good", "goodbye"),
    ("good morning", "my day was horrible", "no", "are you a human?", "bye bye"),
)

# Untangle: the opening, the guided path by buttons and by typing, an aside and back, as in tests/e2e.
UNTANGLE_CONVERSATIONS: Tuple[Tuple[str, ...], ...] = (
    (
        "hello",
        "/affirm",
        '/go_to_step{"step": "stages"}',
        "/continue",
        "next",
        "what is gaslighting?",
        "/resume",
        "tell me more",
        "bye",
    ),
    (
        "hi",
        "/affirm",
        '/go_to_step{"step": "what_is"}',
        "tell me more",
        "/continue",
        "why do I keep going back?",
        "/resume",
        "thank you",
    ),
    (
        "hey",
        "is my boyfriend a narcissist?",
        '/go_to_step{"step": "coping"}',
        "i feel so stupid for staying with him",
        "/resume",
        "/continue",
        "bye",
    ),
)

# First messages that must get the crisis referral. The stock bot has no crisis path: its closest is a first message
# answered by a rule ("Say 'I am a bot' anytime"), as Untangle's referral is, so that stands in for it.
UNTANGLE_CRISIS_MESSAGES: Tuple[str, ...] = (
    "he said he will kill me",
    "I want to end my life",
    "my partner hits me when he is angry",
)
STOCK_CRISIS_STAND_IN: Tuple[str, ...] = ("are you a bot?", "are you a human?", "am I talking to a bot?")


# The response that proves the model is loaded and answering: the first reply of every conversation must be one of
# its texts (a server without a model, or one answering with an error text, fails here).
OPENING_RESPONSE = {"stock": "utter_greet", "untangle": "utter_intro"}
CRISIS_RESPONSE = {"stock": "utter_iamabot", "untangle": "utter_crisis_essentials"}


def response_texts(domain_file: Path, response: str) -> FrozenSet[str]:
    """The texts of one domain response (all its variations)."""
    import yaml

    responses = yaml.safe_load(domain_file.read_text(encoding="utf-8"))["responses"]
    return frozenset(variant["text"] for variant in responses[response] if "text" in variant)


def scripts_for(bot: str, domain_file: Path = DOMAIN_FILE) -> Dict[str, List[List[Turn]]]:
    """The conversations for `bot` ("stock" or "untangle", its domain in `domain_file`): `multi_turn`, and
    `crisis` (one-message conversations). First messages expect the bot's opening or crisis response."""
    if bot not in OPENING_RESPONSE:
        raise ValueError(f"unknown bot {bot!r}: expected 'stock' or 'untangle'")
    conversations = STOCK_CONVERSATIONS if bot == "stock" else UNTANGLE_CONVERSATIONS
    crisis_messages = STOCK_CRISIS_STAND_IN if bot == "stock" else UNTANGLE_CRISIS_MESSAGES
    opening = response_texts(domain_file, OPENING_RESPONSE[bot])
    crisis = response_texts(domain_file, CRISIS_RESPONSE[bot])
    return {
        "multi_turn": [[Turn(texts[0], opening), *(Turn(text) for text in texts[1:])] for texts in conversations],
        "crisis": [[Turn(text, crisis)] for text in crisis_messages],
    }


def reply_problem(turn: Turn, messages: object) -> Optional[str]:
    """Why a REST reply does not meet the turn's expectation ("empty", "wrong_reply", "bad_body"), or None."""
    if not isinstance(messages, list):
        return "bad_body"
    if not messages:
        return "empty"
    if turn.expect_any_of is not None:
        texts = {message.get("text") for message in messages if isinstance(message, dict)}
        if not texts & turn.expect_any_of:
            return "wrong_reply"
    return None
