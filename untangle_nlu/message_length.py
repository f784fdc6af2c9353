"""MessageLengthLimit: a Rasa NLU graph component that asks for a shorter message instead of guessing at a long one.

It runs after the DangerDetector, so a long message that mentions danger keeps the `danger` intent (and gets the
crisis referral); any other message longer than `max_chars` gets the `message_too_long` intent at confidence 1.0,
which a rule answers with `utter_message_too_long`. The channels refuse messages over their own, higher hard cap
(untangle_server/channels/input_checks.py). The classifier never keeps `message_too_long` for a short message.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageLengthLimit(GraphComponent, IntentClassifier):
    """Sets `message_too_long` on a long message, unless it is about danger or asks for help."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # messages longer than this many characters get `intent`
            "max_chars": 2000,
            "intent": "message_too_long",
            # intents a long message keeps: safety always comes first (docs/safety.md)
            "keep_intents": ["danger", "help_now"],
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLengthLimit:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent_name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent_name in self.config["keep_intents"]:
                continue
            if len(message.get(TEXT) or "") > self.config["max_chars"]:
                self._mark_too_long(message)
            elif intent_name == self.config["intent"]:
                self._give_way(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep the intents they were written with."""
        return training_data

    def _mark_too_long(self, message: Message) -> None:
        intent = {INTENT_NAME_KEY: self.config["intent"], PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get(INTENT_NAME_KEY) != self.config["intent"]]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)

    def _give_way(self, message: Message) -> None:
        """The classifier chose `message_too_long` for a short message: its next intent is taken instead."""
        ranking = [e for e in message.get(INTENT_RANKING_KEY) or [] if e.get(INTENT_NAME_KEY) != self.config["intent"]]
        if ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
