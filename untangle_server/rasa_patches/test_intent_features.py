"""The classifier's input row built in one step, and its weights stored for scoring, give Rasa's exact scores."""
import numpy as np
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import coo_matrix

from untangle_server.rasa_patches import intent_features
from untangle_server.rasa_patches.graph_runner import SequentialGraphRunner

# Typed messages (a button's `/intent` payload comes out of the graph as a new message, without features).
MESSAGES = ["hello", "what is intermittent reinforcement", "he said he will kill me", "nxt",
            "why do I keep going back to him even though he hurts me", "🙂", "ok ok ok ok ok"]


@pytest.fixture(scope="module")
def parsed(load_trained_model):
    """Each message through the trained pipeline, with its features, and the model's classifier."""
    metadata, runner = load_trained_model(SequentialGraphRunner)
    tracker = DialogueStateTracker("person", [])
    messages = [runner.run(inputs={PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker},
                           targets=[metadata.nlu_target])[metadata.nlu_target][0] for text in MESSAGES]
    classifier = next(node._component for node in runner._instantiated_nodes.values()
                      if isinstance(node._component, LogisticRegressionClassifier))
    return messages, classifier


def test_the_row_and_the_scores_are_rasas(parsed):
    messages, classifier = parsed
    rasa_x = intent_features._rasa_create_x(classifier, messages)
    x = intent_features.create_x(classifier, messages)
    assert x.shape == rasa_x.shape and x.shape[1] > 1000  # words, character n-grams and regex features
    assert (x != rasa_x).nnz == 0
    assert np.array_equal(classifier.clf.predict_proba(x), classifier.clf.predict_proba(rasa_x))


def test_scores_with_the_weights_stored_for_scoring_are_the_same(parsed):
    messages, classifier = parsed
    x = intent_features.create_x(classifier, messages)
    before = classifier.clf.predict_proba(x)
    intent_features.store_weights_for_scoring(classifier)
    assert classifier.clf.coef_.T.flags.c_contiguous  # what scipy multiplies by without a copy
    assert np.array_equal(classifier.clf.predict_proba(x), before)


def test_dense_features_go_after_the_sparse_ones_as_in_rasa():
    message = Message({"text": "hi"})
    message.add_features(Features(coo_matrix([[1.0, 0.0]]), "sentence", "text", "words"))
    message.add_features(Features(np.array([[0.5, 0.25]]), "sentence", "text", "dense"))
    message.add_features(Features(coo_matrix([[0.0, 2.0]]), "sentence", "text", "chars"))
    message.add_features(Features(coo_matrix([[9.0], [9.0]]), "sequence", "text", "words"))  # never read
    assert intent_features.create_x(None, [message]).toarray().tolist() == [[1.0, 0.0, 0.0, 2.0, 0.5, 0.25]]
    assert intent_features._rasa_create_x(None, [message]).toarray().tolist() == [[1.0, 0.0, 0.0, 2.0, 0.5, 0.25]]


def test_install_replaces_rasas_row_builder(monkeypatch):
    monkeypatch.setattr(LogisticRegressionClassifier, "_create_X", intent_features._rasa_create_x)
    monkeypatch.setattr(LogisticRegressionClassifier, "process", intent_features._rasa_process)
    intent_features.install()
    assert LogisticRegressionClassifier._create_X is intent_features.create_x
    assert LogisticRegressionClassifier.process is intent_features.process


def test_unsorted_and_repeated_columns_are_summed_as_scipy_does():
    message = Message({"text": "hi"})
    message.add_features(Features(coo_matrix(([1.0, 2.0, 4.0], ([0, 0, 0], [2, 0, 2])), shape=(1, 3)),
                                  "sentence", "text", "words"))
    message.add_features(Features(np.array([[0.0, 0.5]]), "sentence", "text", "dense"))
    expected = intent_features._rasa_create_x(None, [message])
    x = intent_features.create_x(None, [message])
    assert x.toarray().tolist() == expected.toarray().tolist() == [[2.0, 0.0, 5.0, 0.0, 0.5]]
    assert x.indices.tolist() == [0, 2, 4] and x.has_canonical_format
