"""SentenceLogisticRegressionClassifier gives Rasa's LogisticRegressionClassifier's exact rows, weights and scores."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Type

import numpy as np
import pytest
import yaml
from rasa.core.channels.channel import UserMessage
from rasa.engine import loader
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import coo_matrix

from untangle_nlu.sentence_logistic_regression import SentenceLogisticRegressionClassifier

ROOT = Path(__file__).resolve().parents[1]
TRAINED_MODEL = ROOT / "models" / "untangle.tar.gz"
NAME = "untangle_nlu.sentence_logistic_regression.SentenceLogisticRegressionClassifier"
# Typed messages (a button's `/intent` payload comes out of the graph as a new message, without features).
MESSAGES = [
    "hello",
    "what is intermittent reinforcement",
    "he said he will kill me",
    "nxt",
    "why do I keep going back to him even though he hurts me",
    "🙂",
    "ok ok ok ok ok",
]


def rasa_row(messages: List[Message]):
    return LogisticRegressionClassifier._create_X(None, messages)


def ours_row(messages: List[Message]):
    return SentenceLogisticRegressionClassifier._create_X(None, messages)


def make(component: Type, storage: LocalModelStorage, name: str, config: Dict = None):
    context = ExecutionContext(GraphSchema({}), node_name=name)
    return component.create(
        {**component.get_default_config(), **(config or {"max_iter": 500})}, storage, Resource(name), context
    )


def featurized(text: str, intent: str, words: List[float], dense: List[float]) -> Message:
    message = Message({TEXT: text, INTENT: intent})
    message.add_features(Features(coo_matrix([words]), "sentence", TEXT, "words"))
    message.add_features(Features(coo_matrix([[1.0] * len(words)] * 2), "sequence", TEXT, "words"))  # never read
    message.add_features(Features(np.array([dense]), "sentence", TEXT, "encoder"))
    return message


EXAMPLES = [
    featurized("hi", "greet", [1, 0, 0, 0], [0.9, 0.1]),
    featurized("hello", "greet", [1, 1, 0, 0], [0.8, 0.0]),
    featurized("sad", "feel_sad", [0, 0, 1, 0], [0.1, 0.7]),
    featurized("down", "feel_sad", [0, 0, 1, 1], [0.0, 0.9]),
    featurized("bye", "goodbye", [0, 1, 0, 1], [0.5, 0.5]),
    featurized("later", "goodbye", [0, 1, 0, 1], [0.4, 0.6]),
]


def test_trained_on_the_same_data_it_learns_and_ranks_as_rasas_classifier(tmp_path):
    storage = LocalModelStorage(tmp_path)
    rankings = {}
    for component in (LogisticRegressionClassifier, SentenceLogisticRegressionClassifier):
        classifier = make(component, storage, component.__name__)
        classifier.train(TrainingData(EXAMPLES))
        probes = [featurized("x", "", [1, 0, 1, 0], [0.5, 0.5]), featurized("y", "", [0, 1, 0, 1], [0.2, 0.3])]
        rankings[component] = (
            [message.get(INTENT_RANKING_KEY) for message in classifier.process(probes)],
            classifier.clf.coef_.copy(),
        )
    rasas, ours = rankings[LogisticRegressionClassifier], rankings[SentenceLogisticRegressionClassifier]
    assert ours[0] == rasas[0] and np.array_equal(ours[1], rasas[1])
    assert ours[0][0][0]["name"] in ("greet", "feel_sad") and ours[0][1][0]["name"] == "goodbye"


def test_a_loaded_classifier_is_this_class_and_scores_the_same(tmp_path):
    storage = LocalModelStorage(tmp_path)
    trained = make(SentenceLogisticRegressionClassifier, storage, "classifier")
    trained.train(TrainingData(EXAMPLES))
    context = ExecutionContext(GraphSchema({}), node_name="classifier")
    loaded = SentenceLogisticRegressionClassifier.load(trained.config, storage, Resource("classifier"), context)
    assert isinstance(loaded, SentenceLogisticRegressionClassifier)
    probe = [featurized("x", "", [0, 0, 1, 1], [0.1, 0.8])]
    assert loaded.process(probe)[0].get(INTENT_RANKING_KEY) == trained.process(probe)[0].get(INTENT_RANKING_KEY)
    assert loaded.clf.coef_.T.flags.c_contiguous  # stored for scoring: what scipy multiplies by without a copy


def test_dense_features_go_after_the_sparse_ones_as_in_rasa():
    message = Message({"text": "hi"})
    message.add_features(Features(coo_matrix([[1.0, 0.0]]), "sentence", "text", "words"))
    message.add_features(Features(np.array([[0.5, 0.25]]), "sentence", "text", "dense"))
    message.add_features(Features(coo_matrix([[0.0, 2.0]]), "sentence", "text", "chars"))
    message.add_features(Features(coo_matrix([[9.0], [9.0]]), "sequence", "text", "words"))  # never read
    assert ours_row([message]).toarray().tolist() == [[1.0, 0.0, 0.0, 2.0, 0.5, 0.25]]
    assert rasa_row([message]).toarray().tolist() == [[1.0, 0.0, 0.0, 2.0, 0.5, 0.25]]


def test_unsorted_and_repeated_columns_are_summed_as_scipy_does():
    message = Message({"text": "hi"})
    message.add_features(
        Features(coo_matrix(([1.0, 2.0, 4.0], ([0, 0, 0], [2, 0, 2])), shape=(1, 3)), "sentence", "text", "words")
    )
    message.add_features(Features(np.array([[0.0, 0.5]]), "sentence", "text", "dense"))
    x = ours_row([message])
    assert x.toarray().tolist() == rasa_row([message]).toarray().tolist() == [[2.0, 0.0, 5.0, 0.0, 0.5]]
    assert x.indices.tolist() == [0, 2, 4] and x.has_canonical_format


def test_config_yml_names_it_in_place_of_rasas_classifier_registered_as_rasa_registers_its_own():
    names = [component["name"] for component in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert NAME in names and "LogisticRegressionClassifier" not in names
    assert (
        DefaultV1Recipe._from_registry(NAME).types
        == DefaultV1Recipe._from_registry("LogisticRegressionClassifier").types
    )


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    """Each message through the trained model's pipeline, with its features, and its classifier as this class."""
    if not TRAINED_MODEL.exists():
        pytest.fail(f"no trained model at {TRAINED_MODEL}: run `make train`", pytrace=False)
    metadata, runner = loader.load_predict_graph_runner(
        tmp_path_factory.mktemp("model"), TRAINED_MODEL, LocalModelStorage, DaskGraphRunner
    )
    tracker = DialogueStateTracker("person", [])
    messages = [
        runner.run(
            inputs={PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker},
            targets=[metadata.nlu_target],
        )[metadata.nlu_target][0]
        for text in MESSAGES
    ]
    model_classifier = next(
        node._component
        for node in runner._instantiated_nodes.values()
        if isinstance(node._component, LogisticRegressionClassifier)
    )
    classifier = SentenceLogisticRegressionClassifier(model_classifier.config, "classifier", None, None)
    classifier.clf = model_classifier.clf
    return messages, classifier


def test_on_the_trained_model_the_row_and_the_scores_are_rasas(parsed):
    messages, classifier = parsed
    rasa_x, x = rasa_row(messages), classifier._create_X(messages)
    assert x.shape == rasa_x.shape and x.shape[1] > 1000  # words, character n-grams, regex and encoder features
    assert (x != rasa_x).nnz == 0
    rasa_scores = classifier.clf.predict_proba(rasa_x)
    ranked = classifier.process([Message(dict(message.data), features=message.features) for message in messages])
    assert [message.get(INTENT)["confidence"] for message in ranked] == [max(row) for row in rasa_scores]
    assert classifier.clf.coef_.T.flags.c_contiguous
    assert np.array_equal(classifier.clf.predict_proba(x), rasa_scores)


def test_c_reaches_scikit_learn_and_weaker_regularisation_gives_larger_weights(tmp_path):
    storage = LocalModelStorage(tmp_path)
    default = make(SentenceLogisticRegressionClassifier, storage, "default")
    loose = make(SentenceLogisticRegressionClassifier, storage, "loose", {"max_iter": 500, "C": 9.0})
    assert default.clf.C == 1.0 and loose.clf.C == 9.0
    for classifier in (default, loose):
        classifier.train(TrainingData(EXAMPLES))
    assert np.linalg.norm(loose.clf.coef_) > np.linalg.norm(default.clf.coef_)


def test_the_blockwise_fit_ranks_as_rasas_fit(tmp_path):
    storage = LocalModelStorage(tmp_path)
    rasas = make(SentenceLogisticRegressionClassifier, storage, "rasas", {"max_iter": 2000, "tol": 1e-8})
    blockwise = make(
        SentenceLogisticRegressionClassifier,
        storage,
        "blockwise",
        {"max_iter": 2000, "tol": 1e-8, "blockwise_fit": True},
    )
    for classifier in (rasas, blockwise):
        classifier.train(TrainingData(EXAMPLES))
    assert np.allclose(blockwise.clf.coef_, rasas.clf.coef_, atol=1e-3)
    probes = [featurized("x", "", [1, 0, 1, 0], [0.5, 0.5]), featurized("y", "", [0, 1, 0, 1], [0.2, 0.3])]
    names = [[[r["name"] for r in m.get(INTENT_RANKING_KEY)] for m in c.process(probes)] for c in (rasas, blockwise)]
    assert names[0] == names[1]
    context = ExecutionContext(GraphSchema({}), node_name="blockwise")
    loaded = SentenceLogisticRegressionClassifier.load(blockwise.config, storage, Resource("blockwise"), context)
    assert loaded.process(probes)[0].get(INTENT_RANKING_KEY) == blockwise.process(probes)[0].get(INTENT_RANKING_KEY)
