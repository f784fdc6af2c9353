"""The numpy MiniLM encoder gives sentence-transformers' vectors (untangle_nlu/minilm_reference.json)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.minilm_reference import MODEL_FOLDER, REFERENCE, REFERENCE_TEXTS, REFERENCE_VECTORS
from untangle_nlu.minilm import MAX_WORD_PIECES, MODEL_FILES, EncoderFilesMissing, MiniLM


@pytest.fixture(scope="module")
def encoder() -> MiniLM:
    if not MODEL_FOLDER.is_dir():
        pytest.fail(f"{MODEL_FOLDER} is missing: run make encoder")
    return MiniLM.load(MODEL_FOLDER)


def assert_matches_reference(vectors: np.ndarray) -> None:
    for text, vector, reference in zip(REFERENCE_TEXTS, vectors, REFERENCE_VECTORS, strict=True):
        cosine = float(vector @ reference / np.linalg.norm(reference))
        assert cosine > 0.9999, f"{text[:40]!r}: cosine {cosine}"
        assert np.abs(vector - reference).max() < 1e-4, f"{text[:40]!r}"


def test_reference_covers_the_hard_cases():
    lengths = [example["word_pieces"] for example in REFERENCE["examples"]]
    assert max(lengths) > MAX_WORD_PIECES and min(lengths) <= 3  # a text past truncation, and "ok"
    assert any(not text.isascii() for text in REFERENCE_TEXTS)


def test_batch_matches_sentence_transformers(encoder):
    vectors = encoder.encode(REFERENCE_TEXTS, batch_size=4)
    assert vectors.shape == (len(REFERENCE_TEXTS), 384) and vectors.dtype == np.float32
    assert_matches_reference(vectors)


def test_one_at_a_time_gives_the_batch_vectors(encoder):
    batch = encoder.encode(REFERENCE_TEXTS)
    single = np.stack([encoder.encode([text])[0] for text in REFERENCE_TEXTS])
    assert_matches_reference(single)
    assert np.abs(batch - single).max() < 1e-5


def test_vectors_have_unit_length_and_tell_meanings_apart(encoder):
    hurt, hurt_again, weather = encoder.encode(
        ["he hurts me and then says sorry", "after he hurts me he apologises", "it might rain on tuesday"]
    )
    assert np.allclose([np.linalg.norm(hurt), np.linalg.norm(weather)], 1.0, atol=1e-5)
    assert hurt @ hurt_again > hurt @ weather + 0.3


def test_text_past_256_word_pieces_is_cut(encoder):
    long_text = max(REFERENCE_TEXTS, key=len)
    longer, same = encoder.encode([long_text + " and the rest of this is never read", long_text])
    assert np.abs(longer - same).max() < 1e-6


def test_order_of_results_follows_the_input(encoder):
    texts = ["a much longer message about leaving and coming back again", "ok", "hello there"]
    forward = encoder.encode(texts)
    backward = encoder.encode(texts[::-1])
    assert np.abs(forward - backward[::-1]).max() < 1e-5
    assert encoder.encode([]).shape == (0, 384)


def test_missing_folder_says_run_make_encoder(tmp_path):
    with pytest.raises(EncoderFilesMissing, match="run `make encoder`"):
        MiniLM.load(tmp_path / "nowhere")


@pytest.mark.parametrize("missing", MODEL_FILES)
def test_missing_file_is_named(tmp_path, missing):
    if not MODEL_FOLDER.is_dir():
        pytest.fail(f"{MODEL_FOLDER} is missing: run make encoder")
    for name in MODEL_FILES:
        if name != missing:
            (tmp_path / name).symlink_to(MODEL_FOLDER / name)
    with pytest.raises(EncoderFilesMissing, match=f"lacks {missing}: run `make encoder`"):
        MiniLM.load(tmp_path)


def test_a_text_given_twice_is_encoded_once(encoder, monkeypatch):
    """A long message's last sentences come twice (as its sentences and as messages of their own)."""
    batches = []
    encode_ids = encoder._encode_ids
    monkeypatch.setattr(encoder, "_encode_ids", lambda id_lists: batches.append(len(id_lists)) or encode_ids(id_lists))
    texts = ["he left", "ok", "he left", "why does he do this", "ok"]
    vectors = encoder.encode(texts)
    assert sum(batches) == 3
    assert np.abs(vectors - np.stack([encoder.encode([text])[0] for text in texts])).max() < 1e-6
