"""SentenceEmbeddingFeaturizer with Rasa's own storage, graph and message classes; the sentence splitter."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.minilm import EncoderFilesMissing
from untangle_nlu.sentence_embeddings import (
    MAX_SENTENCES,
    SENTENCES_ATTRIBUTE,
    WINDOW_WORDS,
    SentenceEmbeddingFeaturizer,
    split_sentences,
)

MODEL_FOLDER = Path(__file__).resolve().parent.parent / "build" / "minilm-l6-v2"
DANGER_SENTENCE = "Last night he held a knife to my throat and said nobody would find me."
FILLER = (
    "We met at a friend's party and for months it felt like the best thing that ever happened to me. "
    "He texted every morning, he planned weekends away, and he said he had never met anyone like me. "
)


@pytest.fixture(scope="module")
def storage(tmp_path_factory) -> LocalModelStorage:
    if not MODEL_FOLDER.is_dir():
        pytest.fail(f"{MODEL_FOLDER} is missing: run make encoder")
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


def make(storage: LocalModelStorage, name: str = "sentence_embeddings", **config: Any):
    context = ExecutionContext(GraphSchema({}), node_name=name)
    full_config: Dict[str, Any] = {**SentenceEmbeddingFeaturizer.get_default_config(), **config}
    return SentenceEmbeddingFeaturizer.create(full_config, storage, Resource(name), context)


@pytest.fixture(scope="module")
def featurizer(storage) -> SentenceEmbeddingFeaturizer:
    return make(storage, alias="minilm")


def featurized(featurizer, texts: List[str]) -> List[Message]:
    return featurizer.process([Message({TEXT: text}) for text in texts])


def test_each_message_gets_one_dense_sentence_feature(featurizer):
    (message,) = featurized(featurizer, ["he says sorry and then it starts again"])
    (sentence,) = message.features
    assert (sentence.type, sentence.attribute, sentence.origin) == (FEATURE_TYPE_SENTENCE, TEXT, "minilm")
    assert sentence.is_dense() and message.get_dense_features(TEXT)[0] is None  # no sequence features
    assert sentence.features.shape == (1, 384) and sentence.features.dtype == np.float32
    expected = featurizer.encoder.encode(["he says sorry and then it starts again"])
    assert np.abs(sentence.features - expected).max() < 1e-6


def test_messages_without_text_get_nothing(featurizer):
    for message in featurized(featurizer, ["", "   \n"]) + featurizer.process([Message({INTENT: "greet"})]):
        assert message.features == [] and message.get(SENTENCES_ATTRIBUTE) is None


def test_sentence_vectors_only_for_several_sentences_and_never_in_the_output(featurizer):
    one, several = featurized(featurizer, ["I miss him.", "I miss him. But I am scared of him!\nWhat do I do"])
    assert one.get(SENTENCES_ATTRIBUTE) is None
    readings = several.get(SENTENCES_ATTRIBUTE)
    assert [several.get(TEXT)[start:end] for start, end, _ in readings] == [
        "I miss him.",
        "But I am scared of him!",
        "What do I do",
    ]
    assert np.abs(readings[1][2] - featurizer.encoder.encode(["But I am scared of him!"])[0]).max() < 1e-6
    assert SENTENCES_ATTRIBUTE not in several.as_dict(only_output_properties=True)


def test_a_danger_sentence_inside_a_long_post_is_read_on_its_own(featurizer):
    post = FILLER * 7 + DANGER_SENTENCE + " " + FILLER * 8
    assert 550 < len(post.split()) < 700
    (message,) = featurized(featurizer, [post])
    readings = message.get(SENTENCES_ATTRIBUTE)
    assert len(readings) <= MAX_SENTENCES
    danger = featurizer.encoder.encode([DANGER_SENTENCE])[0]
    best = max(readings, key=lambda reading: float(reading[2] @ danger))
    assert DANGER_SENTENCE in post[best[0] : best[1]]
    assert float(best[2] @ danger) > 0.6
    # the whole post's vector is much further from the danger sentence than its best sentence
    whole = message.get_dense_features(TEXT)[1].features[0]
    assert whole @ danger < best[2] @ danger - 0.2


def test_a_very_long_post_is_read_to_its_end_within_the_cap(featurizer):
    post = " ".join(f"Day {day} was quiet." for day in range(1, 200)) + " " + DANGER_SENTENCE
    (message,) = featurized(featurizer, [post])
    readings = message.get(SENTENCES_ATTRIBUTE)
    assert len(readings) <= MAX_SENTENCES
    assert readings[0][0] == 0 and readings[-1][1] == len(post)


def test_training_data_gets_the_same_features_as_single_messages(featurizer):
    texts = ["hi", "why does he do this to me. i keep going back", "good night and thank you"]
    training_data = featurizer.process_training_data(TrainingData([Message({TEXT: text}) for text in texts]))
    for example, single in zip(training_data.training_examples, featurized(featurizer, texts), strict=True):
        trained = example.get_dense_features(TEXT)[1].features
        assert np.abs(trained - single.get_dense_features(TEXT)[1].features).max() < 1e-5
        assert (example.get(SENTENCES_ATTRIBUTE) is None) == (single.get(SENTENCES_ATTRIBUTE) is None)


def test_components_share_one_encoder_and_find_the_folder_from_anywhere(storage, featurizer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert make(storage, name="another").encoder is featurizer.encoder


def test_onnx_int8_runtime_is_used_when_built(storage, featurizer):
    int8 = make(storage, name="int8", runtime="onnx_int8")
    assert int8.encoder.runtime == "onnx_int8"
    (message,) = featurized(int8, ["he says sorry and then it starts again"])
    (expected,) = featurized(featurizer, ["he says sorry and then it starts again"])
    vectors = [found.get_dense_features(TEXT)[1].features.reshape(-1) for found in (message, expected)]
    assert vectors[0] @ vectors[1] > 0.99


def test_onnx_training_data_is_encoded_with_more_threads_and_the_same_vectors(storage):
    int8 = make(storage, name="int8_training", runtime="onnx_int8", training_threads=2)
    texts = ["he says sorry and then it starts again", "i miss her. is that normal? she was cruel to me"]
    training_data = int8.process_training_data(TrainingData([Message({TEXT: text}) for text in texts]))
    for example, single in zip(training_data.training_examples, featurized(int8, texts), strict=True):
        trained = example.get_dense_features(TEXT)[1].features
        assert np.abs(trained - single.get_dense_features(TEXT)[1].features).max() < 1e-4


def test_without_the_onnx_graph_numpy_is_used_and_logged_without_text(storage, tmp_path, caplog):
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        (tmp_path / name).symlink_to(MODEL_FOLDER / name)
    fallback = make(storage, name="fallback", model=str(tmp_path), runtime="onnx_int8")
    assert fallback.encoder.runtime == "numpy"
    warnings = [record for record in caplog.records if record.name == "untangle_nlu.sentence_embeddings"]
    assert len(warnings) == 1 and "model_int8.onnx" in warnings[0].getMessage()
    featurized(fallback, ["he says sorry and then it starts again"])
    assert "sorry" not in caplog.text


def test_unknown_runtime_is_refused():
    with pytest.raises(ValueError, match="runtime"):
        SentenceEmbeddingFeaturizer.validate_config({"model": "build/minilm-l6-v2", "runtime": "torch"})


def test_missing_model_folder_says_run_make_encoder(storage, tmp_path):
    with pytest.raises(EncoderFilesMissing, match="run `make encoder`"):
        make(storage, name="missing", model=str(tmp_path / "not-there"))


def test_logistic_regression_reads_the_embeddings(storage, featurizer):
    """With only these features, Rasa's classifier tells apart paraphrases it never saw."""
    examples = {
        "greet": ["hello", "hi there", "good morning", "hey, how are you"],
        "goodbye": ["bye for now", "see you later", "good night", "talk soon, take care"],
        "feel_sad": ["i feel so low today", "everything is heavy and grey", "i cried all evening", "i am miserable"],
    }
    training_data = TrainingData(
        [Message({TEXT: text, INTENT: intent}) for intent, texts in examples.items() for text in texts]
    )
    featurizer.process_training_data(training_data)
    context = ExecutionContext(GraphSchema({}), node_name="logistic_regression")
    classifier = LogisticRegressionClassifier.create(
        LogisticRegressionClassifier.get_default_config(), storage, Resource("logistic_regression"), context
    )
    classifier.train(training_data)
    probes = {"hiya!": "greet", "catch you tomorrow": "goodbye", "i am so unhappy": "feel_sad"}
    predicted = classifier.process(featurized(featurizer, list(probes)))
    assert [message.get(INTENT)[INTENT_NAME_KEY] for message in predicted] == list(probes.values())


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("hi", ["hi"]),
        ("I left. He called!! Why?? idk", ["I left.", "He called!!", "Why??", "idk"]),
        ("wait... what\nno way", ["wait...", "what", "no way"]),
        ("it took 3.5 hours… then nothing", ["it took 3.5 hours…", "then nothing"]),
        ("Dr. Smith said no. Then J. K. left.", ["Dr. Smith said no.", "Then J. K. left."]),
        ('he said "stop." I did', ['he said "stop."', "I did"]),
        ("so tired.😭😭 bye", ["so tired.😭😭", "bye"]),
        ("see example.com now. ok", ["see example.com now.", "ok"]),
        ("  first line  \n\n\n  second line ", ["first line", "second line"]),
        ("...", []),
        ("", []),
    ],
)
def test_split_sentences(text, sentences):
    assert [text[start:end] for start, end in split_sentences(text)] == sentences


def test_run_on_text_is_cut_into_overlapping_windows():
    words = [f"w{index}" for index in range(100)]
    windows = [(start, end) for start, end in split_sentences(" ".join(words))]
    pieces = [" ".join(words)[start:end].split() for start, end in windows]
    assert all(len(piece) == WINDOW_WORDS for piece in pieces)
    assert pieces[0][0] == "w0" and pieces[-1][-1] == "w99"
    for before, after in zip(pieces, pieces[1:], strict=False):
        assert set(before) & set(after)  # neighbouring windows overlap
    assert len(split_sentences(" ".join(words[:60]))) == 1  # a long sentence is kept whole
