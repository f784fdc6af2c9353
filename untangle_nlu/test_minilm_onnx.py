"""The int8 onnxruntime encoder (model_int8.onnx, `make encoder-int8`) gives nearly the float vectors: a cosine
of at least 0.99 to sentence-transformers' on every reference text, and the same nearest neighbours as numpy's."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.minilm_reference import MODEL_FOLDER, REFERENCE_TEXTS, REFERENCE_VECTORS
from untangle_nlu.minilm import EncoderFilesMissing, MiniLM
from untangle_nlu.minilm_onnx import GRAPH_FILES, MiniLMOnnx

# Our own sentences, in pairs that say nearly the same thing, so each has one clear nearest neighbour.
NEIGHBOURS = [
    "he shouts at me and then buys me flowers the next day",
    "after yelling at me he always brings a present",
    "I can't stop checking her profile since we split up",
    "since the break-up I keep looking at her page",
    "my sister won't listen when I say her boyfriend scares me",
    "I told my sister I'm afraid of her partner but she ignores me",
    "what does gaslighting mean",
    "can you explain what gaslighting is",
    "I want to be safe tonight, he is drunk and angry",
    "he's drunk and furious and I'm scared for tonight",
]


@pytest.fixture(scope="module")
def int8_encoder() -> MiniLMOnnx:
    if not (MODEL_FOLDER / GRAPH_FILES["onnx_int8"]).is_file():
        pytest.fail(f"{MODEL_FOLDER / GRAPH_FILES['onnx_int8']} is missing: run make encoder-int8")
    return MiniLMOnnx.load(MODEL_FOLDER, "onnx_int8")


@pytest.fixture(scope="module")
def float_encoder() -> MiniLM:
    return MiniLM.load(MODEL_FOLDER)


def test_int8_vectors_stay_close_to_sentence_transformers(int8_encoder):
    vectors = int8_encoder.encode(REFERENCE_TEXTS, batch_size=4)
    assert vectors.shape == (len(REFERENCE_TEXTS), 384) and vectors.dtype == np.float32
    references = REFERENCE_VECTORS / np.linalg.norm(REFERENCE_VECTORS, axis=1, keepdims=True)
    for text, cosine in zip(REFERENCE_TEXTS, (vectors * references).sum(axis=1), strict=True):
        assert cosine >= 0.99, f"{text[:40]!r}: cosine {cosine:.4f}"
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_text_gets_the_same_vector_whatever_else_is_in_its_batch(int8_encoder):
    """Training encodes 64 texts at a time, the server one message with its sentences."""
    batch = int8_encoder.encode(REFERENCE_TEXTS + NEIGHBOURS)
    single = np.stack([int8_encoder.encode([text])[0] for text in REFERENCE_TEXTS + NEIGHBOURS])
    assert np.abs(batch - single).max() < 1e-5


def test_nearest_neighbours_are_the_float_encoders(int8_encoder, float_encoder):
    def nearest(vectors: np.ndarray) -> list:
        similarities = vectors @ vectors.T
        np.fill_diagonal(similarities, -1.0)
        return list(similarities.argmax(axis=1))

    expected = [index ^ 1 for index in range(len(NEIGHBOURS))]  # each sentence's partner
    assert nearest(float_encoder.encode(NEIGHBOURS)) == expected
    assert nearest(int8_encoder.encode(NEIGHBOURS)) == expected


def test_missing_graph_names_the_file(tmp_path):
    for name in ("tokenizer.json", "config.json"):
        (tmp_path / name).symlink_to(MODEL_FOLDER / name)
    with pytest.raises(EncoderFilesMissing, match="lacks model_int8.onnx: run `make encoder-int8`"):
        MiniLMOnnx.load(tmp_path, "onnx_int8")


def test_unknown_runtime_is_refused():
    with pytest.raises(ValueError, match="numpy, onnx"):
        MiniLMOnnx.load(MODEL_FOLDER, "tensorrt")
