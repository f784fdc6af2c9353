"""LongMessageSentences: the sentences of a long message, classified as messages of their own (first of two parts).

A long message ("my sister has been with him for years ... how do I help her without pushing her away?") often ends
with the question that matters, which the whole message's intent loses. This component runs first in the pipeline:
for a message of more than `min_words` words (and at most `max_chars` characters: a longer one gets
message_too_long anyway) it appends each of its last `max_sentences` sentences to the list of messages, marked with
`PART_ATTRIBUTE`. The same spaCy doc, count vectors, sentence encoder and LogisticRegressionClassifier then handle
them as they handle any message, so no other model is needed. `LongMessageFocus` (long_message_focus.py), right
after the classifier, takes the parts out again and decides which intent the message keeps. Training examples are
left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.sentence_embeddings import split_sentences

PART_ATTRIBUTE = "long_message_part"
# The whole message's intent ranking, kept when LongMessageFocus gives it a sentence's intent (read by DangerDetector).
WHOLE_RANKING_ATTRIBUTE = "whole_message_intent_ranking"
QUESTION_STARTS = (
    "how",
    "what",
    "why",
    "should",
    "can",
    "could",
    "will",
    "would",
    "is",
    "are",
    "am",
    "do",
    "does",
    "did",
    "where",
    "when",
    "who",
    "which",
    "any advice",
    "any tips",
)


@dataclass(frozen=True)
class SentencePart:
    """Which message a part belongs to (its index in the list), where it stands, and whether it asks something."""

    owner: int
    position: int
    is_question: bool


def is_question(sentence: str) -> bool:
    text = sentence.strip().lower()
    return text.endswith("?") or text.startswith(QUESTION_STARTS) or " how do i " in f" {text} "


def sentence_texts(text: str, max_sentences: int) -> List[str]:
    return [text[start:end] for start, end in split_sentences(text)][-max_sentences:]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LongMessageSentences(GraphComponent):
    """Appends the sentences of each long message as marked messages of their own."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_words": 40, "max_chars": 2000, "max_sentences": 12}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LongMessageSentences:
        return cls(config)

    def is_long(self, text: Any) -> bool:
        return (
            isinstance(text, str)
            and len(text) <= self.config["max_chars"]
            and len(text.split()) > self.config["min_words"]
        )

    def process(self, messages: List[Message]) -> List[Message]:
        parts: List[Message] = []
        for owner, message in enumerate(messages):
            text = message.get(TEXT)
            if message.get(PART_ATTRIBUTE) is not None or not self.is_long(text):
                continue
            sentences = sentence_texts(text, self.config["max_sentences"])
            if len(sentences) < 2:
                continue
            for position, sentence in enumerate(sentences):
                part = Message(data={TEXT: sentence})
                part.set(PART_ATTRIBUTE, SentencePart(owner, position, is_question(sentence)))
                parts.append(part)
        return messages + parts

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep their own text and intent."""
        return training_data
