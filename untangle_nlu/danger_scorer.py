"""DangerScorer: how likely a message is to mention danger, and how urgently, from its sentence embeddings.

A trainable Rasa NLU graph component. It reads the dense sentence features of `SentenceEmbeddingFeaturizer` (a
pretrained sentence encoder) and learns a three-way logistic regression, safe / check_in / urgent, from the NLU
data: examples of the `danger` intent are urgent, examples of another intent with the intent metadata
`danger_level: check_in` are check-ins (they keep the intent of what was said, as a check-in does at run time), every
other example is safe, and so is each sentence of a safe example. A message is
scored as a whole and sentence by sentence (the featurizer's `sentence_embeddings`), and the most dangerous reading
counts, so one danger sentence in a long post is found. The scores go into the message's `danger_score` attribute;
`DangerDetector` decides with them.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from untangle_nlu.danger_marking import CHECK_IN, DANGER_INTENT, URGENT

logger = logging.getLogger(__name__)

SCORE_ATTRIBUTE = "danger_score"
SENTENCES_ATTRIBUTE = "sentence_embeddings"  # set by SentenceEmbeddingFeaturizer: [(start, end, vector), ...]
SAFE = "safe"
CLASSES = (SAFE, CHECK_IN, URGENT)
WEIGHTS_FILE = "danger_scorer.npz"
DANGER_LEVEL_KEY = "danger_level"  # intent metadata of an example that mentions danger at the check-in level


def level_of(example: Message) -> Text:
    """The class a training example teaches: urgent for the `danger` intent (unless its metadata `level` says
    check_in), check_in for an example of another intent whose metadata `danger_level` says so (a check-in keeps
    the intent of what was said: docs/safety.md), else safe."""
    metadata = example.get(METADATA) or {}
    intent_metadata = metadata.get(METADATA_INTENT) or {}
    if example.get(INTENT) != DANGER_INTENT:
        level = intent_metadata.get(DANGER_LEVEL_KEY) or metadata.get(DANGER_LEVEL_KEY)
        return CHECK_IN if level == CHECK_IN else SAFE
    level = intent_metadata.get("level") or metadata.get("level")
    return CHECK_IN if level == CHECK_IN else URGENT


def message_embedding(message: Message) -> Optional[np.ndarray]:
    """The message's dense sentence feature (the encoder's vector of the whole text), or None."""
    dense = [
        feature.features
        for feature in message.features
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE and feature.is_dense()
    ]
    return np.concatenate(dense, axis=-1).reshape(-1) if dense else None


def readings(message: Message) -> List[Tuple[int, int, np.ndarray]]:
    """Every way the message is read: as a whole, then sentence by sentence."""
    whole = message_embedding(message)
    text = message.get(TEXT) or ""
    found = [(0, len(text), whole)] if whole is not None else []
    return found + list(message.get(SENTENCES_ATTRIBUTE) or [])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DangerScorer(GraphComponent):
    """Scores danger (any level) and urgency from sentence embeddings; the decision is DangerDetector's."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # inverse regularisation strength of the logistic regression
            "C": 3.0,
            "max_iter": 2000,
            # Also learn from each sentence of a safe example (no sentence of a safe message is danger), so a long
            # safe post's sentences are not read as danger one by one. A danger example's sentences are not
            # labelled: which of them holds the danger is not known.
            "safe_sentences": True,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: Optional[Dict[Text, np.ndarray]] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.weights = weights  # coef (classes x dims), intercept, classes

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerScorer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DangerScorer:
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as stored:
                    weights = {key: stored[key] for key in stored.files}
        except (ValueError, OSError) as error:
            logger.warning(f"DangerScorer has no trained weights ({type(error).__name__}); it scores nothing.")
            weights = None
        return cls(config, model_storage, resource, weights)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(message_embedding(m), level_of(m)) for m in training_data.intent_examples]
        examples = [(vector, level) for vector, level in examples if vector is not None]
        if self.config["safe_sentences"]:
            examples += safe_sentence_examples(training_data.intent_examples)
        levels = {level for _, level in examples}
        if len(levels) < 2:
            logger.warning("DangerScorer needs danger and safe examples with sentence embeddings; not trained.")
            return self._resource
        features = np.stack([vector for vector, _ in examples])
        labels = np.array([CLASSES.index(level) for _, level in examples])
        model = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"], class_weight="balanced")
        model.fit(features, labels)
        coef, intercept = _all_classes(model)
        self.weights = {"coef": coef.astype(np.float32), "intercept": intercept.astype(np.float32)}
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / WEIGHTS_FILE, **self.weights)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.weights is None:
            return messages
        for message in messages:
            found = readings(message)
            if found:
                message.set(SCORE_ATTRIBUTE, self._score(found))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _score(self, found: List[Tuple[int, int, np.ndarray]]) -> Dict[Text, Any]:
        """The probabilities of the whole message, and of its most dangerous sentence when it has several."""
        vectors = np.stack([vector for _, _, vector in found]).astype(np.float32)
        logits = vectors @ self.weights["coef"].T + self.weights["intercept"]
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        danger = 1.0 - probabilities[:, CLASSES.index(SAFE)]
        urgent = probabilities[:, CLASSES.index(URGENT)]
        score = {
            "danger": float(danger[0]),
            "urgent": float(urgent[0]),
            "sentence_danger": 0.0,
            "sentence_urgent": 0.0,
            "start": int(found[0][0]),
            "end": int(found[0][1]),
        }
        if len(found) > 1:
            best = 1 + int(np.argmax(danger[1:]))
            score.update(
                sentence_danger=float(danger[best]),
                sentence_urgent=float(urgent[best]),
                start=int(found[best][0]),
                end=int(found[best][1]),
            )
        return score


def safe_sentence_examples(examples: List[Message]) -> List[Tuple[np.ndarray, Text]]:
    """The sentence vectors of the safe examples of more than one sentence, each labelled safe."""
    return [
        (vector, SAFE)
        for example in examples
        if level_of(example) == SAFE
        for _, _, vector in example.get(SENTENCES_ATTRIBUTE) or []
    ]


def _all_classes(model: LogisticRegression) -> Tuple[np.ndarray, np.ndarray]:
    """Weights for every class of CLASSES, in that order (a class missing from the data never wins)."""
    coef = np.zeros((len(CLASSES), model.coef_.shape[1]))
    intercept = np.full(len(CLASSES), -1e4)
    if len(model.classes_) == 2:  # sklearn keeps one row for two classes: the second class against the first
        first, second = model.classes_
        coef[first], intercept[first] = -model.coef_[0] / 2, -model.intercept_[0] / 2
        coef[second], intercept[second] = model.coef_[0] / 2, model.intercept_[0] / 2
        return coef, intercept
    for row, label in enumerate(model.classes_):
        coef[label], intercept[label] = model.coef_[row], model.intercept_[row]
    return coef, intercept
