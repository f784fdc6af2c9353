"""The all-MiniLM-L6-v2 sentence encoder in numpy: the same vectors as sentence-transformers, without torch.

The model is a 6-layer BERT (hidden size 384, 12 attention heads, GELU); a sentence's vector is the mean of its
word pieces' last hidden states over the attention mask, scaled to unit length (sentence-transformers' Transformer,
Pooling and Normalize modules for this model). Texts are cut at 256 word pieces, as sentence-transformers does
(its max_seq_length), not at the 128 that tokenizer.json itself says.

The folder (build/minilm-l6-v2, made by `make encoder`) holds the official model.safetensors, tokenizer.json and
config.json. untangle_nlu/test_minilm.py checks the vectors against ones computed with sentence-transformers
(tools/minilm_reference.py). `SentenceEncoder` (word pieces, batches, each distinct text once) is shared with
untangle_nlu/minilm_onnx.py, which runs the same model in int8 with onnxruntime.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple, Union

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_WORD_PIECES = 256  # sentence-transformers' max_seq_length for this model, [CLS] and [SEP] included
MODEL_FILES = ("model.safetensors", "tokenizer.json", "config.json")
# Added to the attention scores of padding: exp() of it is exactly 0 in float32, as with torch's finfo.min.
PADDING_SCORE = np.float32(-1e9)


class EncoderFilesMissing(FileNotFoundError):
    """The encoder's folder or one of its files is not there (it is made by `make encoder`)."""


@dataclass
class Layer:
    """One transformer layer's weights, laid out for `x @ w`: matrices transposed, query, key and value fused."""

    qkv_weight: np.ndarray  # (hidden, 3 * hidden); the query part pre-scaled by 1 / sqrt(head size)
    qkv_bias: np.ndarray
    attention_out_weight: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple
    intermediate_weight: np.ndarray
    intermediate_bias: np.ndarray
    output_weight: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple


def _layer(weights: dict, index: int, head_size: int) -> Layer:
    prefix = f"encoder.layer.{index}."

    def get(name: str) -> np.ndarray:
        return weights[prefix + name]

    scale = np.float32(1.0 / np.sqrt(head_size))
    qkv_weight = np.concatenate(
        [
            get("attention.self.query.weight") * scale,
            get("attention.self.key.weight"),
            get("attention.self.value.weight"),
        ]
    ).T
    qkv_bias = np.concatenate(
        [get("attention.self.query.bias") * scale, get("attention.self.key.bias"), get("attention.self.value.bias")]
    )
    return Layer(
        qkv_weight=np.ascontiguousarray(qkv_weight),
        qkv_bias=qkv_bias,
        attention_out_weight=np.ascontiguousarray(get("attention.output.dense.weight").T),
        attention_out_bias=get("attention.output.dense.bias"),
        attention_norm=(get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias")),
        intermediate_weight=np.ascontiguousarray(get("intermediate.dense.weight").T),
        intermediate_bias=get("intermediate.dense.bias"),
        output_weight=np.ascontiguousarray(get("output.dense.weight").T),
        output_bias=get("output.dense.bias"),
        output_norm=(get("output.LayerNorm.weight"), get("output.LayerNorm.bias")),
    )


def check_folder(folder: Path, files: Sequence[str] = MODEL_FILES, make_target: str = "encoder") -> None:
    if not folder.is_dir():
        raise EncoderFilesMissing(f"Sentence encoder folder {folder} does not exist: run `make {make_target}`")
    missing = [name for name in files if not (folder / name).is_file()]
    if missing:
        raise EncoderFilesMissing(
            f"Sentence encoder folder {folder} lacks {', '.join(missing)}: run `make {make_target}`"
        )


# Abramowitz and Stegun's formula 7.1.26 for erf: within 1.5e-7 of it, several times faster than scipy's erf.
_ERF_P = np.float32(0.3275911)
_ERF_A = [np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)]


def _erf(x: np.ndarray) -> np.ndarray:
    """erf(x) in float32, computed in place on temporaries."""
    magnitude = np.abs(x)
    t = magnitude * _ERF_P
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * _ERF_A[0]
    for coefficient in _ERF_A[1:]:
        poly += coefficient
        poly *= t
    np.square(magnitude, out=magnitude)
    np.negative(magnitude, out=magnitude)
    np.exp(magnitude, out=magnitude)
    poly *= magnitude
    np.subtract(1.0, poly, out=poly)
    return np.copysign(poly, x, out=poly)


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact (erf) GELU, x * Phi(x), in place."""
    phi = _erf(x * np.float32(1.0 / np.sqrt(2.0)))
    phi += 1.0
    phi *= 0.5
    x *= phi
    return x


def load_tokenizer(folder: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_WORD_PIECES)
    tokenizer.no_padding()  # batches are padded here, to their own longest text
    return tokenizer


def padded(id_lists: List[List[int]]) -> Tuple[np.ndarray, np.ndarray]:
    """The batch's word-piece ids (int64, 0 is [PAD]) and attention mask (float32), padded to its longest text."""
    length = max(len(ids) for ids in id_lists)
    ids = np.zeros((len(id_lists), length), dtype=np.int64)
    mask = np.zeros((len(id_lists), length), dtype=np.float32)
    for row, row_ids in enumerate(id_lists):
        ids[row, : len(row_ids)] = row_ids
        mask[row, : len(row_ids)] = 1.0
    return ids, mask


class SentenceEncoder:
    """Texts to unit vectors: word pieces, batches of similar lengths, each distinct text encoded once.

    Subclasses compute one padded batch (`_encode_ids`): MiniLM in numpy, minilm_onnx.MiniLMOnnx with onnxruntime.
    """

    runtime = "numpy"

    def __init__(self, tokenizer: Tokenizer, hidden_size: int) -> None:
        self.tokenizer = tokenizer
        self.hidden_size = hidden_size

    @property
    def dimension(self) -> int:
        return self.hidden_size

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length sentence vectors, one row per text, in the order given."""
        # A long message's last sentences are also messages of their own (LongMessageSentences), so the same
        # sentence often comes twice in one call: each distinct text is encoded once.
        distinct = list(dict.fromkeys(texts))
        row_of = {text: row for row, text in enumerate(distinct)}
        vectors = np.zeros((len(distinct), self.hidden_size), dtype=np.float32)
        if not distinct:
            return vectors
        encodings = self.tokenizer.encode_batch(distinct)
        lengths = [len(encoding.ids) for encoding in encodings]
        # Texts of similar length share a batch, so little of it is padding.
        order = sorted(range(len(distinct)), key=lambda index: lengths[index])
        for batch in _similar_lengths(order, lengths, batch_size):
            vectors[batch] = self._encode_ids([encodings[index].ids for index in batch])
        return vectors[[row_of[text] for text in texts]] if len(distinct) < len(texts) else vectors

    def _encode_ids(self, id_lists: List[List[int]]) -> np.ndarray:
        raise NotImplementedError


class MiniLM(SentenceEncoder):
    """all-MiniLM-L6-v2: `MiniLM.load(folder).encode(texts)` gives unit vectors of shape (len(texts), 384)."""

    def __init__(self, tokenizer: Tokenizer, weights: dict, config: dict) -> None:
        super().__init__(tokenizer, config["hidden_size"])
        self.heads = config["num_attention_heads"]
        self.head_size = self.hidden_size // self.heads
        self.eps = np.float32(config["layer_norm_eps"])
        self.word_embeddings = weights["embeddings.word_embeddings.weight"]
        # Every text is a single segment (token type 0), so its embedding is folded into the positions'.
        self.position_embeddings = (
            weights["embeddings.position_embeddings.weight"] + weights["embeddings.token_type_embeddings.weight"][0]
        )
        self.embedding_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [_layer(weights, index, self.head_size) for index in range(config["num_hidden_layers"])]

    @classmethod
    def load(cls, folder: Union[str, Path]) -> MiniLM:
        folder = Path(folder)
        check_folder(folder)
        config = json.loads((folder / "config.json").read_text())
        weights = {
            name: np.asarray(array, dtype=np.float32)
            for name, array in load_file(str(folder / "model.safetensors")).items()
            if not name.endswith("position_ids")
        }
        return cls(load_tokenizer(folder), weights, config)

    def _encode_ids(self, id_lists: List[List[int]]) -> np.ndarray:
        ids, mask = padded(id_lists)
        hidden = self._hidden_states(ids, mask)
        summed = np.einsum("bl,blh->bh", mask, hidden)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        x = self.word_embeddings[ids] + self.position_embeddings[:length]
        x = self._layer_norm(x.reshape(batch * length, self.hidden_size), self.embedding_norm)
        padding_scores = ((1.0 - mask) * PADDING_SCORE)[:, None, None, :]  # (batch, 1, 1, length)
        for layer in self.layers:
            x = self._layer(x, layer, batch, length, padding_scores)
        return x.reshape(batch, length, self.hidden_size)

    def _layer(self, x: np.ndarray, layer: Layer, batch: int, length: int, padding_scores: np.ndarray) -> np.ndarray:
        """One BERT layer on x of shape (batch * length, hidden)."""
        qkv = x @ layer.qkv_weight
        qkv += layer.qkv_bias
        # (3, batch, heads, length, head size)
        qkv = qkv.reshape(batch, length, 3, self.heads, self.head_size).transpose(2, 0, 3, 1, 4)
        query, key, value = qkv[0], qkv[1], qkv[2]
        scores = query @ key.transpose(0, 1, 3, 2)
        scores += padding_scores
        probabilities = self._softmax(scores)
        context = (probabilities @ value).transpose(0, 2, 1, 3).reshape(batch * length, self.hidden_size)
        attended = context @ layer.attention_out_weight
        attended += layer.attention_out_bias
        attended += x
        x = self._layer_norm(attended, layer.attention_norm)
        intermediate = x @ layer.intermediate_weight
        intermediate += layer.intermediate_bias
        output = _gelu(intermediate) @ layer.output_weight
        output += layer.output_bias
        output += x
        return self._layer_norm(output, layer.output_norm)

    @staticmethod
    def _softmax(scores: np.ndarray) -> np.ndarray:
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        return scores

    def _layer_norm(self, x: np.ndarray, norm: tuple) -> np.ndarray:
        weight, bias = norm
        centred = x - x.mean(axis=-1, keepdims=True)
        variance = np.mean(np.square(centred), axis=-1, keepdims=True)
        centred /= np.sqrt(variance + self.eps)
        centred *= weight
        centred += bias
        return centred


def _similar_lengths(order: List[int], lengths: List[int], batch_size: int) -> List[List[int]]:
    """Batches of texts (shortest first) whose lengths are close, so padding costs little: a long message's whole
    text (up to 256 word pieces) is not padded together with its 20-piece sentences, which cost 13 times the work."""
    batches: List[List[int]] = []
    for index in order:
        current = batches[-1] if batches else None
        if current is None or len(current) >= batch_size or lengths[index] > 1.5 * lengths[current[0]] + 8:
            batches.append([index])
        else:
            current.append(index)
    return batches
