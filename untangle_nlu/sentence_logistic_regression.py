"""SentenceLogisticRegressionClassifier: Rasa's LogisticRegressionClassifier, its input row built in one step.

Rasa 3.6's classifier reads a message's sentence features through `get_sparse_features`, which also deep-copies and
joins every featurizer's token-by-token (sequence) features, one scipy `hstack` per featurizer, only to throw them
away; then it joins the result with an empty dense block. That was about a sixth of a turn's CPU here
(docs/patches.md). This class builds the same row (the sentence features of every featurizer, in the order the
message holds them, sparse then dense, as Rasa joins them) by laying their entries side by side in one CSR matrix:
scipy's `hstack` and `vstack` cost more than the features themselves for a one-row message.
Scoring multiplies the row by the transposed weights; scipy copies them into row order first (60 × 6,768 numbers,
about 0.25 ms) unless they are stored that way, so they are stored that way once: the same numbers and the same
arithmetic, so the same scores. The options, persistence and the scores are Rasa's; two options are added: `C`
(the regularisation scikit-learn's LogisticRegression takes, which Rasa leaves at 1.0) and `blockwise_fit`, which
fits the same objective with the encoder's dense columns multiplied apart (untangle_nlu/blockwise_lbfgs.py), faster
than scikit-learn's solver on this input (docs/benchmarks.md); off, training is Rasa's.

Named in config.yml in place of `LogisticRegressionClassifier` (same options), so every Rasa command uses it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from untangle_nlu.blockwise_lbfgs import fit_multinomial

# A message's input: (column indices, values, width).
Row = Tuple[np.ndarray, np.ndarray, int]


def _entries(block: Any) -> Row:
    """A one-row block's column indices and values as scipy would store them in CSR (sorted, duplicates summed,
    explicit zeros of a sparse block kept, zeros of a dense block left out), and its width."""
    if isinstance(block, np.ndarray):
        row = block.reshape(-1)
        columns = np.flatnonzero(row)
        return columns, row[columns], row.shape[0]
    coo = block.tocoo(copy=False)
    if coo.col.size > 1 and not np.all(coo.col[1:] > coo.col[:-1]):  # unsorted or repeated columns: let scipy sort
        canonical = csr_matrix(coo)
        canonical.sum_duplicates()
        return canonical.indices, canonical.data, coo.shape[1]
    return coo.col, coo.data, coo.shape[1]


def sentence_features(message: Message) -> List[Any]:
    return [
        feature for feature in message.features if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE
    ]


def dense_width(message: Message) -> int:
    """How many of the row's last columns are the message's dense sentence features."""
    return sum(feature.features.shape[-1] for feature in sentence_features(message) if feature.is_dense())


def sentence_row(message: Message) -> Optional[Row]:
    """One message's classifier input: its sparse sentence features side by side, then its dense ones; None if it
    has no sentence features."""
    features = sentence_features(message)
    if not features:
        return None
    blocks = [feature.features for feature in features if feature.is_sparse()]
    dense = [feature.features for feature in features if feature.is_dense()]
    if dense:
        blocks.append(np.concatenate(dense, axis=-1))
    indices, values, width = [], [], 0
    for block_indices, block_values, block_width in map(_entries, blocks):
        indices.append(block_indices + width)
        values.append(block_values)
        width += block_width
    return np.concatenate(indices), np.concatenate(values), width


def rows_as_matrix(rows: List[Row]) -> csr_matrix:
    indptr = np.cumsum([0] + [len(indices) for indices, _, _ in rows])
    return csr_matrix(
        (
            np.concatenate([values for _, values, _ in rows]),
            np.concatenate([indices for indices, _, _ in rows]),
            indptr,
        ),
        shape=(len(rows), rows[0][2]),
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Rasa's logistic regression intent classifier, reading only the sentence features it uses."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # `C`, the inverse of the regularisation strength, which Rasa leaves at scikit-learn's 1.0
        # `blockwise_fit`: fit with the dense columns apart (the same objective, faster: docs/benchmarks.md)
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0, "blockwise_fit": False}

    def __init__(self, config: Dict[Text, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.clf.C = float(self.config["C"])

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        rows = [sentence_row(message) for message in messages]
        if not rows or any(row is None for row in rows) or len({width for _, _, width in rows}) > 1:
            return super()._create_X(messages)  # no message, or one without sentence features: Rasa's own handling
        return rows_as_matrix(rows)

    def train(self, training_data: TrainingData) -> Resource:
        if not self.config["blockwise_fit"] or self.clf.solver != "lbfgs":
            return super().train(training_data)
        X, y = self._create_training_matrix(training_data)
        if X.shape[0] == 0 or len(set(y)) < 3:  # nothing to learn, or scikit-learn's own binary and error cases
            return super().train(training_data)
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        fit = fit_multinomial(
            X, dense_width(examples[0]), y, C=self.clf.C, tol=self.clf.tol, max_iter=self.clf.max_iter
        )
        self.clf.coef_, self.clf.intercept_, self.clf.classes_ = fit.coef, fit.intercept, fit.classes
        self.clf.n_iter_, self.clf.n_features_in_ = np.array([fit.iterations]), X.shape[1]
        self.persist()
        return self._resource

    def store_weights_for_scoring(self) -> None:
        """Column-major weights, so their transpose (what scikit-learn multiplies by) is already in row order."""
        weights = getattr(self.clf, "coef_", None)
        if weights is not None and not weights.flags.f_contiguous:
            self.clf.coef_ = np.asfortranarray(weights)

    def process(self, messages: List[Message]) -> List[Message]:
        self.store_weights_for_scoring()
        return super().process(messages)
