"""LongMessageFocus: a long message keeps the intent of its question sentence (second of two parts).

Runs right after LogisticRegressionClassifier, so before DangerScorer and DangerDetector. It takes out the sentence
parts LongMessageSentences appended (every later component sees only the real messages) and, for each long message,
picks the part in focus: its last question sentence, else the sentence the classifier is surest of. The message
takes that part's intent and ranking when the part names a topic with at least `min_confidence`: a question always,
another sentence only when the whole message names no topic or less surely.

Danger is never removed. A message the classifier reads as `danger` or `help_now` above all else is left exactly as
it made it. Otherwise the question still gets its answer ("he kicks them when he's mad. do shelters take pets?"),
and the whole message's own ranking is kept beside it (`WHOLE_RANKING_ATTRIBUTE`), so DangerDetector, which reads
the whole text and its sentences, weighs the classifier's danger exactly as before: an urgent mark still starts the
crisis flow, a check-in adds its card after the answer. A sentence the classifier reads as danger is never the focus.

When the message asks about a topic and one of its other sentences says how the person feels ("i feel so stupid for
going back"), the feeling is named in the entity `reflect_feeling`, so the reply can reflect it briefly before the
answer (`ReflectPolicy`, `action_reflect_feeling`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.long_message_sentences import PART_ATTRIBUTE, WHOLE_RANKING_ATTRIBUTE, SentencePart

# Intents a sentence of a long message can have without being what the message asks.
NOT_A_FOCUS = [
    "share_experience",
    "affirm",
    "deny",
    "greet",
    "goodbye",
    "thank",
    "continue",
    "previous",
    "resume",
    "tell_more",
    "dont_know",
    "out_of_scope",
    "inform_country",
    "message_too_long",
    "other_language",
    "nlu_fallback",
]
# Feelings a sentence of a long message can voice, which the reply reflects before it answers the question.
FEELINGS = [
    "feel_sad",
    "feel_ashamed",
    "feel_lonely",
    "feel_confused",
    "feel_miss_them",
    "feel_afraid_to_leave",
    "feel_guilty",
    "feel_scared_alone",
    "feel_overwhelmed",
]
REFLECT_ENTITY = "reflect_feeling"


def top(message: Message) -> Tuple[Optional[Text], float]:
    intent = message.get(INTENT) or {}
    return intent.get(INTENT_NAME_KEY), intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0


def ranked_names(message: Message, top_k: int) -> List[Text]:
    return [entry.get(INTENT_NAME_KEY) for entry in (message.get(INTENT_RANKING_KEY) or [])[:top_k]]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LongMessageFocus(GraphComponent, IntentClassifier):
    """Gives a long message the intent of its question sentence, never removing danger."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "min_confidence": 0.4,
            "keep_top_k": 5,
            "keep_intents": ["danger", "help_now"],
            "keep_min_confidence": 0.5,
            "not_a_focus": NOT_A_FOCUS,
            "feelings": FEELINGS,
            "feeling_min_confidence": 0.5,
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
    ) -> LongMessageFocus:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        owners = [message for message in messages if message.get(PART_ATTRIBUTE) is None]
        parts_by_owner: Dict[int, List[Message]] = {}
        for message in messages:
            part: Optional[SentencePart] = message.get(PART_ATTRIBUTE)
            if part is not None:
                parts_by_owner.setdefault(part.owner, []).append(message)
        for owner, parts in parts_by_owner.items():
            if owner < len(owners):
                self._focus(owners[owner], parts)
        return owners

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _mentions_safety(self, message: Message) -> bool:
        """`danger` or `help_now` among the top k with some confidence (at rank 2 with 0.001 it is only a rank)."""
        ranking = (message.get(INTENT_RANKING_KEY) or [])[: self.config["keep_top_k"]]
        return any(
            entry.get(INTENT_NAME_KEY) in self.config["keep_intents"]
            and (entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.config["keep_min_confidence"]
            for entry in ranking
        )

    def focus_part(self, parts: List[Message]) -> Optional[Message]:
        """The last question sentence, else the sentence the classifier is surest of (a topic either way)."""
        not_a_focus = [*self.config["not_a_focus"], *self.config["keep_intents"]]
        topical = [part for part in parts if top(part)[0] not in not_a_focus]
        questions = [part for part in topical if part.get(PART_ATTRIBUTE).is_question]
        if questions:
            return questions[-1]
        return max(topical, key=lambda part: top(part)[1], default=None)

    def _focus(self, message: Message, parts: List[Message]) -> None:
        if top(message)[0] in self.config["keep_intents"]:
            return
        self._choose_intent(message, parts)
        if not (self._mentions_safety(message) or any(self._mentions_safety(part) for part in parts)):
            self._name_feeling(message, parts)

    def _choose_intent(self, message: Message, parts: List[Message]) -> None:
        focus = self.focus_part(parts)
        if focus is None:
            return
        (name, confidence), (whole_name, whole_confidence) = top(focus), top(message)
        if name == whole_name or confidence < self.config["min_confidence"]:
            return
        # A question is what the message asks; any other sentence must beat the whole message's own topic.
        whole_is_topic = whole_name not in self.config["not_a_focus"]
        if not focus.get(PART_ATTRIBUTE).is_question and whole_is_topic and confidence <= whole_confidence:
            return
        message.set(WHOLE_RANKING_ATTRIBUTE, message.get(INTENT_RANKING_KEY))
        message.set(INTENT, focus.get(INTENT), add_to_output=True)
        message.set(INTENT_RANKING_KEY, focus.get(INTENT_RANKING_KEY), add_to_output=True)

    def _name_feeling(self, message: Message, parts: List[Message]) -> None:
        """The `reflect_feeling` entity, when the message asks about a topic and another sentence voices a feeling."""
        asked, _ = top(message)
        if asked in self.config["not_a_focus"] or asked in self.config["feelings"]:
            return
        felt = [
            part
            for part in parts
            if top(part)[0] in self.config["feelings"] and top(part)[1] >= self.config["feeling_min_confidence"]
        ]
        if not felt:
            return
        strongest = max(felt, key=lambda part: top(part)[1])
        text = message.get(TEXT) or ""
        start = max(text.find(strongest.get(TEXT) or ""), 0)
        entity = {
            ENTITY_ATTRIBUTE_TYPE: REFLECT_ENTITY,
            ENTITY_ATTRIBUTE_VALUE: top(strongest)[0],
            ENTITY_ATTRIBUTE_START: start,
            ENTITY_ATTRIBUTE_END: start + len(strongest.get(TEXT) or ""),
            EXTRACTOR: self.__class__.__name__,
        }
        message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
