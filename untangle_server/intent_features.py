"""Score intents without building features the classifier never reads or copying its weights on every message.

Rasa 3.6's LogisticRegressionClassifier reads a message's sentence features through `get_sparse_features`, which
also deep-copies and joins every featurizer's token-by-token (sequence) features, one scipy `hstack` per
featurizer, only to throw them away; then it joins the result with an empty dense block. That was about 13 % of a
turn's time here. This builds the same row (the sentence features of every featurizer, in the order the message
holds them, sparse then dense, as Rasa joins them) with a single `hstack`.
Scoring multiplies the row by the transposed weights; scipy copies them into row order first (60 × 6,768 numbers,
about 0.25 ms) unless they are stored that way, so they are stored that way once: the same numbers and the same
arithmetic, so the same scores. The classifier and its scores are Rasa's.
"""
from __future__ import annotations

from typing import List, Optional

import numpy as np
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack

_rasa_create_x = LogisticRegressionClassifier._create_X
_rasa_process = LogisticRegressionClassifier.process


def sentence_row(message: Message) -> Optional[csr_matrix]:
    """One message's classifier input: its sparse sentence features side by side, then its dense ones (None if it
    has no sentence features)."""
    sentence_features = [feature for feature in message.features
                         if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE]
    if not sentence_features:
        return None
    sparse = [feature.features for feature in sentence_features if feature.is_sparse()]
    dense = [feature.features for feature in sentence_features if feature.is_dense()]
    if dense:
        sparse.append(csr_matrix(np.concatenate(dense, axis=-1)))
    return hstack(sparse, format="csr")


def create_x(self: LogisticRegressionClassifier, messages: List[Message]) -> csr_matrix:
    rows = [sentence_row(message) for message in messages]
    if any(row is None for row in rows):
        return _rasa_create_x(self, messages)  # a message without sentence features: Rasa's own handling
    return vstack(rows, format="csr")


def store_weights_for_scoring(classifier: LogisticRegressionClassifier) -> None:
    """Column-major weights, so their transpose (what scikit-learn multiplies by) is already in row order."""
    weights = getattr(classifier.clf, "coef_", None)
    if weights is not None and not weights.flags.f_contiguous:
        classifier.clf.coef_ = np.asfortranarray(weights)


def process(self: LogisticRegressionClassifier, messages: List[Message]) -> List[Message]:
    store_weights_for_scoring(self)
    return _rasa_process(self, messages)


def install() -> None:
    LogisticRegressionClassifier._create_X = create_x
    LogisticRegressionClassifier.process = process
