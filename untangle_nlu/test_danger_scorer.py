"""DangerScorer with Rasa's own storage, message and feature classes (embeddings made up, two dimensions)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, METADATA, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.danger_scorer import (
    SCORE_ATTRIBUTE,
    SENTENCES_ATTRIBUTE,
    DangerScorer,
    level_of,
    safe_sentence_examples,
)

# made-up "embeddings": safe messages near (1, 0), check-ins near (0, 1), urgent ones near (-1, 0)
PLACES = {"safe": (1.0, 0.0), "check_in": (0.0, 1.0), "urgent": (-1.0, 0.0)}


def message(text: str, vector, intent=None, level=None) -> Message:
    data = {TEXT: text}
    if intent:
        data[INTENT] = intent
    if level:
        data[METADATA] = {"intent": {"level": level}}
    made = Message(data)
    made.add_features(Features(np.array([vector], dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "encoder"))
    return made


def training_data(levels=("safe", "check_in", "urgent")) -> TrainingData:
    rng = np.random.default_rng(0)
    examples = []
    for level in levels:
        for index in range(30):
            vector = np.array(PLACES[level]) + rng.normal(0, 0.1, 2)
            intent = "share_experience" if level == "safe" else "danger"
            examples.append(message(f"{level} {index}", vector, intent, level if level == "check_in" else None))
    return TrainingData(examples)


@pytest.fixture
def context_and_storage(tmp_path):
    return (
        LocalModelStorage(tmp_path),
        Resource("danger_scorer"),
        ExecutionContext(GraphSchema({}), node_name="danger_scorer"),
    )


def trained(context_and_storage, levels=("safe", "check_in", "urgent")) -> DangerScorer:
    storage, resource, context = context_and_storage
    scorer = DangerScorer.create(DangerScorer.get_default_config(), storage, resource, context)
    scorer.train(training_data(levels))
    return DangerScorer.load(DangerScorer.get_default_config(), storage, resource, context)


def test_a_danger_example_teaches_its_level_and_others_are_safe():
    assert level_of(message("x", (0, 0), "danger", "check_in")) == "check_in"
    assert level_of(message("x", (0, 0), "danger")) == "urgent"
    assert level_of(message("x", (0, 0), "feel_sad")) == "safe"


def test_an_example_of_another_intent_marked_danger_level_check_in_teaches_the_check_in():
    marked = message("he used to hit me, anyway do refuges take dogs", (0, 0), "share_experience")
    marked.set(METADATA, {"intent": {"danger_level": "check_in"}})
    assert level_of(marked) == "check_in"
    plain = message("he sulks for days", (0, 0), "share_experience")
    plain.set(METADATA, {"intent": {"danger_level": "none"}})
    assert level_of(plain) == "safe"


def test_the_loaded_scorer_scores_danger_and_urgency(context_and_storage):
    scorer = trained(context_and_storage)
    urgent, safe = message("u", (-1, 0)), message("s", (1, 0))
    scorer.process([urgent, safe])
    assert urgent.get(SCORE_ATTRIBUTE)["danger"] > 0.9 and urgent.get(SCORE_ATTRIBUTE)["urgent"] > 0.8
    assert safe.get(SCORE_ATTRIBUTE)["danger"] < 0.2


def test_one_dangerous_sentence_of_a_long_message_is_scored_on_its_own(context_and_storage):
    scorer = trained(context_and_storage)
    post = message("we met at uni. i want to die. anyway.", (1, 0))
    post.set(SENTENCES_ATTRIBUTE, [(0, 14, np.array([1.0, 0.0])), (15, 29, np.array([-1.0, 0.0]))])
    scorer.process([post])
    score = post.get(SCORE_ATTRIBUTE)
    assert score["danger"] < 0.2 and score["sentence_danger"] > 0.9 and (score["start"], score["end"]) == (15, 29)


def test_two_classes_only_still_train_and_score(context_and_storage):
    scorer = trained(context_and_storage, levels=("safe", "urgent"))  # e.g. a cross-validation fold
    urgent = message("u", (-1, 0))
    scorer.process([urgent])
    assert urgent.get(SCORE_ATTRIBUTE)["urgent"] > 0.8


def test_untrained_it_scores_nothing(context_and_storage):
    storage, resource, context = context_and_storage
    scorer = DangerScorer.load(DangerScorer.get_default_config(), storage, resource, context)
    plain = message("u", (-1, 0))
    scorer.process([plain])
    assert plain.get(SCORE_ATTRIBUTE) is None


def test_the_sentences_of_a_safe_long_post_teach_safe_but_a_danger_posts_sentences_teach_nothing():
    safe_post = message("we argued. he slammed the door. then we made up.", (1, 0), "share_experience")
    safe_post.set(SENTENCES_ATTRIBUTE, [(0, 10, np.array([0.2, 0.9])), (11, 31, np.array([0.3, 0.8]))])
    danger_post = message("we met at uni. i want to die.", (-1, 0), "danger")
    danger_post.set(SENTENCES_ATTRIBUTE, [(0, 14, np.array([1.0, 0.0])), (15, 29, np.array([-1.0, 0.0]))])
    taught = safe_sentence_examples([safe_post, danger_post])
    assert [level for _, level in taught] == ["safe", "safe"]
    assert [tuple(vector) for vector, _ in taught] == [(0.2, 0.9), (0.3, 0.8)]


def test_a_safe_sentence_that_looks_like_a_check_in_is_scored_safe_once_learnt(context_and_storage):
    # a safe post whose sentences sit where check-ins are: learnt as safe, such a sentence no longer reads as danger
    storage, resource, context = context_and_storage
    data = training_data()
    for index in range(40):
        post = message(f"safe post {index}", (1, 0), "share_experience")
        post.set(SENTENCES_ATTRIBUTE, [(0, 5, np.array([0.5, 0.6])), (6, 10, np.array([1.0, 0.0]))])
        data.training_examples.append(post)
    scores = {}
    for learn in (False, True):
        config = {**DangerScorer.get_default_config(), "safe_sentences": learn}
        scorer = DangerScorer.create(config, storage, resource, context)
        scorer.train(data)
        probe = message("p", (0.5, 0.6))
        scorer.process([probe])
        scores[learn] = probe.get(SCORE_ATTRIBUTE)["danger"]
    assert scores[True] < 0.5 < scores[False]
