"""SentenceCountVectorsFeaturizer: Rasa's CountVectorsFeaturizer without the sequence features nobody here reads.

Rasa's featurizer computes two sparse features per message: *sequence* features (one row per token) and *sentence*
features (one row for the whole message). Only the sentence features are read by this project's pipeline: the
LogisticRegressionClassifier uses `message.get_sparse_features(TEXT)[1]` and nothing else. Computing the sequence
features is about half of the featurizer's cost per message, so this subclass leaves them out, for the training data
and at inference.

Everything else is Rasa's: the config keys, the training, the vocabularies, persistence and loading, and the sentence
features, computed exactly as Rasa computes them. One key is added: `normalize: l2` divides each message's counts by
their Euclidean length, so a long message's many counts do not outweigh the sentence encoder's vector beside them
(and the logistic regression converges in fewer iterations); the default (None) keeps Rasa's raw counts.
Use it only in pipelines whose components read sentence features alone (such as LogisticRegressionClassifier).
DIETClassifier, TEDPolicy and ResponseSelector read sequence features (and intents and action names get only
sequence features from Rasa's): they need Rasa's own CountVectorsFeaturizer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from sklearn.preprocessing import normalize

SparseRows = List[Optional[scipy.sparse.spmatrix]]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer that adds only sentence features (no sequence features)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**CountVectorsFeaturizer.get_default_config(), "normalize": None}

    def _create_features(self, attribute: Text, all_tokens: List[List[Text]]) -> Tuple[SparseRows, SparseRows]:
        """No sequence features, and the sentence features of each message's tokens (None when it has none).

        The parent's `process` passes the None sequence features to `add_features_to_message`, which skips them.
        """
        if not self.vectorizers.get(attribute):
            return [None], [None]
        sentence_features = [self._sentence_features(attribute, tokens) for tokens in all_tokens]
        return [None] * len(all_tokens), sentence_features

    def _sentence_features(self, attribute: Text, tokens: List[Text]) -> Optional[scipy.sparse.coo_matrix]:
        """The counts of the joined tokens, as Rasa computes them; None for intents, action names, no tokens."""
        if not tokens or attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
            return None
        counts = self.vectorizers[attribute].transform([" ".join(tokens)])
        if self._config.get("normalize"):
            counts = normalize(counts.astype(float), norm=self._config["normalize"])
        counts.sort_indices()
        return counts.tocoo()
