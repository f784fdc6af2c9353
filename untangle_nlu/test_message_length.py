"""MessageLengthLimit with Rasa's own storage and message classes, after a pretend classifier's ranking."""

from __future__ import annotations

from typing import List, Optional, Tuple

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from untangle_nlu.message_length import MessageLengthLimit

LIMIT = 2000
LONG_STORY = "We argued again and I keep going over every word of it in my head. " * 40  # 2,720 characters


@pytest.fixture(scope="module")
def limit(tmp_path_factory) -> MessageLengthLimit:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    context = ExecutionContext(GraphSchema({}), node_name="message_length_limit")
    config = {**MessageLengthLimit.get_default_config(), "max_chars": LIMIT}
    return MessageLengthLimit.create(config, storage, Resource("message_length_limit"), context)


def classified(text: str, ranking: Optional[List[Tuple[str, float]]] = None) -> Message:
    ranking = ranking or [("share_experience", 0.6), ("feel_sad", 0.3)]
    message = Message({TEXT: text})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": c} for name, c in ranking])
    return message


def intent_of(limit: MessageLengthLimit, message: Message) -> str:
    return limit.process([message])[0].get(INTENT)["name"]


def test_a_long_message_gets_asked_for_a_shorter_one(limit):
    assert len(LONG_STORY) > LIMIT
    message = limit.process([classified(LONG_STORY)])[0]
    assert message.get(INTENT) == {"name": "message_too_long", "confidence": 1.0}
    assert [e["name"] for e in message.get(INTENT_RANKING_KEY)] == ["message_too_long", "share_experience", "feel_sad"]


@pytest.mark.parametrize("safety_intent", ["danger", "help_now"])
def test_a_long_message_about_danger_keeps_its_intent(limit, safety_intent):
    message = classified(LONG_STORY + " he said he would kill me", [(safety_intent, 1.0), ("feel_sad", 0.2)])
    assert intent_of(limit, message) == safety_intent


def test_a_message_at_the_limit_is_read_as_usual(limit):
    assert intent_of(limit, classified("a" * LIMIT)) == "share_experience"


def test_the_classifier_cannot_pick_message_too_long_for_a_short_message(limit):
    message = limit.process([classified("zzz", [("message_too_long", 0.7), ("greet", 0.2)])])[0]
    assert message.get(INTENT)["name"] == "greet"
    assert "message_too_long" not in [e["name"] for e in message.get(INTENT_RANKING_KEY)]


def test_a_message_without_text_is_left_alone(limit):
    message = Message({INTENT: {"name": "greet", "confidence": 1.0}})
    assert limit.process([message])[0].get(INTENT)["name"] == "greet"
