"""SentenceCountVectorsFeaturizer against Rasa's CountVectorsFeaturizer, with Rasa's own storage and message classes."""

from __future__ import annotations

from typing import Any, Dict, List, Type

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.sentence_count_vectors import SentenceCountVectorsFeaturizer

# The two featurizers of config.yml, without its `normalize: l2` (so Rasa's featurizer gives the same features).
WORDS: Dict[str, Any] = {}
CHARS: Dict[str, Any] = {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4}
CONFIGS = {"words": WORDS, "chars": CHARS}

EXAMPLES = {
    "greet": ["hello there", "hi", "hey, good morning", "good evening to you"],
    "feel_sad": ["i feel so sad today", "i am really down", "everything feels heavy and sad", "i cried all night"],
    "ask_manipulation": [
        "what is manipulation",
        "is he manipulating me",
        "how do i spot manipulation",
        "what does gaslighting mean",
    ],
    "goodbye": ["bye", "see you later", "good night, bye for now", "talk to you tomorrow"],
}
# Known words, unknown words, a typo, digits, punctuation.
PROBES = [
    "hello, i feel sad",
    "is this manipulaiton?",
    "see you at 9 tomorrow",
    "zxq unknown words only",
    "what does it mean when he is manipulating me",
]


def make(component: Type, config: Dict[str, Any], storage: LocalModelStorage, name: str):
    context = ExecutionContext(GraphSchema({}), node_name=name)
    return component.create({**component.get_default_config(), **config}, storage, Resource(name), context)


def load(component: Type, config: Dict[str, Any], storage: LocalModelStorage, name: str):
    context = ExecutionContext(GraphSchema({}), node_name=name)
    return component.load({**component.get_default_config(), **config}, storage, Resource(name), context)


@pytest.fixture(scope="module")
def storage(tmp_path_factory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="module")
def tokenizer(storage) -> WhitespaceTokenizer:
    return make(WhitespaceTokenizer, {}, storage, "whitespace_tokenizer")


@pytest.fixture(scope="module")
def training_data(tokenizer):
    """Fresh tokenized training data on each call: featurizers add their features to the examples."""

    def fresh() -> TrainingData:
        examples = [Message({TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts]
        return tokenizer.process_training_data(TrainingData(examples))

    return fresh


@pytest.fixture(scope="module")
def trained(storage, training_data):
    """Rasa's and the sentence featurizer, each trained on the same data with one config (once per config)."""
    featurizers = {}
    for config_name, config in CONFIGS.items():
        for component in (CountVectorsFeaturizer, SentenceCountVectorsFeaturizer):
            featurizer = make(component, config, storage, f"{component.__name__}_{config_name}")
            featurizer.train(training_data())
            featurizers[component, config_name] = featurizer
    return featurizers


def tokenized(tokenizer: WhitespaceTokenizer, texts: List[str]) -> List[Message]:
    return tokenizer.process([Message({TEXT: text}) for text in texts])


def sparse_features(featurizer, messages: List[Message]) -> List[tuple]:
    """(sequence, sentence) sparse text features of each message after the featurizer."""
    return [message.get_sparse_features(TEXT) for message in featurizer.process(messages)]


@pytest.mark.parametrize("config_name", CONFIGS)
def test_sentence_features_are_rasas(trained, tokenizer, config_name):
    rasas = sparse_features(trained[CountVectorsFeaturizer, config_name], tokenized(tokenizer, PROBES))
    ours = sparse_features(trained[SentenceCountVectorsFeaturizer, config_name], tokenized(tokenizer, PROBES))
    for (_, rasa_sentence), (_, our_sentence) in zip(rasas, ours, strict=True):
        assert our_sentence.features.shape == rasa_sentence.features.shape
        assert (our_sentence.features != rasa_sentence.features).nnz == 0
    assert any(sentence.features.nnz for _, sentence in ours)  # not all empty rows


@pytest.mark.parametrize("config_name", CONFIGS)
def test_no_sequence_features_are_added(trained, tokenizer, config_name):
    rasas = sparse_features(trained[CountVectorsFeaturizer, config_name], tokenized(tokenizer, PROBES))
    ours = sparse_features(trained[SentenceCountVectorsFeaturizer, config_name], tokenized(tokenizer, PROBES))
    assert all(sequence is not None for sequence, _ in rasas)
    assert all(sequence is None for sequence, _ in ours)


@pytest.mark.parametrize("config_name", CONFIGS)
def test_training_examples_get_sentence_features_only(trained, training_data, config_name):
    featurizer = trained[SentenceCountVectorsFeaturizer, config_name]
    examples = featurizer.process_training_data(training_data()).training_examples
    assert all(example.get_sparse_features(TEXT)[0] is None for example in examples)
    assert all(example.get_sparse_features(TEXT)[1] is not None for example in examples)


def test_the_classifier_ranks_intents_as_with_rasas_features(storage, trained, training_data, tokenizer):
    rankings = {}
    for component in (CountVectorsFeaturizer, SentenceCountVectorsFeaturizer):
        featurizers = [trained[component, config_name] for config_name in CONFIGS]
        data = training_data()
        for featurizer in featurizers:
            featurizer.process_training_data(data)
        classifier = make(LogisticRegressionClassifier, {"max_iter": 500}, storage, f"classifier_{component.__name__}")
        classifier.train(data)
        messages = tokenized(tokenizer, PROBES)
        for featurizer in featurizers:
            featurizer.process(messages)
        rankings[component] = [message.get(INTENT_RANKING_KEY) for message in classifier.process(messages)]

    for rasas, ours in zip(rankings[CountVectorsFeaturizer], rankings[SentenceCountVectorsFeaturizer], strict=True):
        assert [entry["name"] for entry in ours] == [entry["name"] for entry in rasas]
        assert [entry["confidence"] for entry in ours] == pytest.approx([entry["confidence"] for entry in rasas])


@pytest.mark.parametrize("config_name", CONFIGS)
def test_a_loaded_featurizer_gives_the_same_sentence_features(storage, trained, tokenizer, config_name):
    featurizer = trained[SentenceCountVectorsFeaturizer, config_name]
    loaded = load(SentenceCountVectorsFeaturizer, CONFIGS[config_name], storage, featurizer._resource.name)
    assert isinstance(loaded, SentenceCountVectorsFeaturizer)
    before = sparse_features(featurizer, tokenized(tokenizer, PROBES))
    after = sparse_features(loaded, tokenized(tokenizer, PROBES))
    for (_, trained_sentence), (loaded_sequence, loaded_sentence) in zip(before, after, strict=True):
        assert loaded_sequence is None and loaded_sentence is not None
        assert (loaded_sentence.features != trained_sentence.features).nnz == 0


@pytest.mark.parametrize("config_name", CONFIGS)
def test_l2_normalized_rows_are_rasas_counts_scaled_to_unit_length(
    storage, trained, training_data, tokenizer, config_name
):
    normalized = make(
        SentenceCountVectorsFeaturizer, {**CONFIGS[config_name], "normalize": "l2"}, storage, f"l2_{config_name}"
    )
    normalized.train(training_data())
    rasas = sparse_features(trained[CountVectorsFeaturizer, config_name], tokenized(tokenizer, PROBES))
    ours = sparse_features(normalized, tokenized(tokenizer, PROBES))
    for (_, rasa_sentence), (_, our_sentence) in zip(rasas, ours, strict=True):
        counts, scaled = rasa_sentence.features.toarray()[0], our_sentence.features.toarray()[0]
        length = np.linalg.norm(counts)
        assert not np.isnan(scaled).any()
        assert scaled == pytest.approx(counts / length if length else counts)
    assert any(np.linalg.norm(sentence.features.toarray()) == pytest.approx(1.0) for _, sentence in ours)
