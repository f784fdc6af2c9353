"""Builds the all-MiniLM-L6-v2 ONNX graph from the safetensors weights, at set-up (`make encoder-int8`), never at
run time.

    python -m untangle_nlu.minilm_onnx_build build/minilm-l6-v2 [--float]

writes model_int8.onnx: the arithmetic of untangle_nlu/minilm.py with 8-bit weights (`quantize`) and int8 word
embeddings (one scale per row); with --float also model.onnx, the same graph in float32 (runtime "onnx" of
minilm_onnx.py, for comparisons). The graph takes `input_ids` (int64, batch x length, 0 = [PAD]) and
`attention_mask` (float32, 1 for a word piece, 0 for padding) and gives `sentence_embedding` (batch x 384): the
mean of the last hidden states over the mask, at unit length, as MiniLM.encode gives. untangle_nlu/minilm_onnx.py
runs it. Needs the `onnx` package and onnxruntime's quantization tools (which import sympy); mk/encoder.mk puts
them in a set-up-only folder: the server imports neither.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import List

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from untangle_nlu.minilm import MiniLM

OPSET = 17  # LayerNormalization is a standard operator from 17 on
FLOAT_FILE = "model.onnx"
INT8_FILE = "model_int8.onnx"
PADDING_SCORE = -1e9  # as minilm.PADDING_SCORE: exp() of it is exactly 0 in float32
BLOCK_SIZE = 32  # weights per quantization block: 128 gave a cosine of 0.994 to the reference, 32 gives 0.998


class GraphBuilder:
    """Accumulates nodes and weights (initializers) with unique names."""

    def __init__(self) -> None:
        self.nodes: List[onnx.NodeProto] = []
        self.initializers: List[onnx.TensorProto] = []
        self._names: set = set()
        self._count = 0

    def weight(self, name: str, array: np.ndarray) -> str:
        """The named initializer; a constant asked for again (same name) is the one already made."""
        if name not in self._names:
            self._names.add(name)
            self.initializers.append(numpy_helper.from_array(np.array(array, order="C"), name))  # 0-d stays 0-d
        return name

    def op(self, op_type: str, inputs: List[str], name: str = "", **attributes) -> str:
        self._count += 1
        output = f"{name or op_type.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=output, **attributes))
        return output

    def constant(self, name: str, values, dtype=np.int64) -> str:
        return self.weight(name, np.array(values, dtype=dtype))


def _layer_norm(graph: GraphBuilder, x: str, weight: np.ndarray, bias: np.ndarray, prefix: str, eps: float) -> str:
    return graph.op(
        "LayerNormalization",
        [x, graph.weight(f"{prefix}.weight", weight), graph.weight(f"{prefix}.bias", bias)],
        axis=-1,
        epsilon=eps,
    )


def _dense(graph: GraphBuilder, x: str, weight: np.ndarray, bias: np.ndarray, prefix: str) -> str:
    """x @ weight + bias (the MatMul named after its layer, to read the graph by)."""
    product = graph.op("MatMul", [x, graph.weight(f"{prefix}.weight", weight)], name=f"dense_{prefix}")
    return graph.op("Add", [product, graph.weight(f"{prefix}.bias", bias)])


def _gelu(graph: GraphBuilder, x: str) -> str:
    """x * 0.5 * (1 + erf(x / sqrt 2)): the pattern onnxruntime fuses into one Gelu."""
    scaled = graph.op("Div", [x, graph.constant("sqrt2", np.sqrt(2.0), np.float32)])
    phi = graph.op("Add", [graph.op("Erf", [scaled]), graph.constant("one", 1.0, np.float32)])
    return graph.op("Mul", [graph.op("Mul", [x, phi]), graph.constant("half", 0.5, np.float32)])


def _attention(graph: GraphBuilder, encoder: MiniLM, x: str, layer, index: int, padding: str) -> str:
    heads, head_size = encoder.heads, encoder.head_size
    qkv = _dense(graph, x, layer.qkv_weight, layer.qkv_bias, f"layer{index}.qkv")  # query pre-scaled
    qkv = graph.op("Reshape", [qkv, graph.constant("qkv_shape", [0, 0, 3, heads, head_size])])
    qkv = graph.op("Transpose", [qkv], perm=[2, 0, 3, 1, 4])  # (3, batch, heads, length, head size)
    query, key, value = (graph.op("Gather", [qkv, graph.constant(f"part{part}", part)], axis=0) for part in range(3))
    scores = graph.op("MatMul", [query, graph.op("Transpose", [key], perm=[0, 1, 3, 2])], name="scores")
    probabilities = graph.op("Softmax", [graph.op("Add", [scores, padding])], axis=-1)
    context = graph.op("MatMul", [probabilities, value], name="context")
    context = graph.op("Transpose", [context], perm=[0, 2, 1, 3])
    context = graph.op("Reshape", [context, graph.constant("hidden_shape", [0, 0, encoder.hidden_size])])
    return _dense(graph, context, layer.attention_out_weight, layer.attention_out_bias, f"layer{index}.attn_out")


def _layer(graph: GraphBuilder, encoder: MiniLM, x: str, layer, index: int, padding: str) -> str:
    eps = float(encoder.eps)
    attended = graph.op("Add", [_attention(graph, encoder, x, layer, index, padding), x])
    x = _layer_norm(graph, attended, *layer.attention_norm, f"layer{index}.attn_norm", eps)
    intermediate = _dense(graph, x, layer.intermediate_weight, layer.intermediate_bias, f"layer{index}.ffn_in")
    output = _dense(graph, _gelu(graph, intermediate), layer.output_weight, layer.output_bias, f"layer{index}.ffn_out")
    return _layer_norm(graph, graph.op("Add", [output, x]), *layer.output_norm, f"layer{index}.out_norm", eps)


def _word_vectors(graph: GraphBuilder, table: np.ndarray, int8: bool) -> str:
    """The ids' rows of the word-embedding table; int8 keeps it as int8 rows with one scale per row (a quarter
    of the 47 MB, within 0.4 % of each row's largest value)."""
    if not int8:
        return graph.op("Gather", [graph.weight("word_embeddings", table), "input_ids"], axis=0)
    scales = np.maximum(np.abs(table).max(axis=1, keepdims=True), 1e-12) / 127.0
    rows = np.round(table / scales).astype(np.int8)
    words = graph.op(
        "Cast",
        [graph.op("Gather", [graph.weight("word_embeddings_int8", rows), "input_ids"], axis=0)],
        to=TensorProto.FLOAT,
    )
    row_scales = graph.op(
        "Gather", [graph.weight("word_embedding_scales", scales.astype(np.float32)), "input_ids"], axis=0
    )
    return graph.op("Mul", [words, row_scales])


def _embeddings(graph: GraphBuilder, encoder: MiniLM, int8: bool) -> str:
    words = _word_vectors(graph, encoder.word_embeddings, int8)
    length = graph.op("Shape", ["input_ids"], start=1, end=2)
    positions = graph.op(
        "Slice",
        [
            graph.weight("position_embeddings", encoder.position_embeddings),
            graph.constant("zero", [0]),
            length,
            graph.constant("axis0", [0]),
        ],
    )
    return _layer_norm(
        graph, graph.op("Add", [words, positions]), *encoder.embedding_norm, "embeddings.norm", float(encoder.eps)
    )


def _mean_pooled_unit(graph: GraphBuilder, hidden: str) -> str:
    mask = graph.op("Unsqueeze", ["attention_mask", graph.constant("last", [-1])])  # (batch, length, 1)
    summed = graph.op("ReduceSum", [graph.op("Mul", [hidden, mask]), graph.constant("axis1", [1])], keepdims=0)
    counts = graph.op("ReduceSum", ["attention_mask", graph.constant("axis1b", [1])], keepdims=1)
    pooled = graph.op("Div", [summed, graph.op("Max", [counts, graph.constant("tiny", 1e-9, np.float32)])])
    norm = graph.op("ReduceL2", [pooled], axes=[-1], keepdims=1)  # axes is an attribute until opset 18
    return graph.op("Div", [pooled, graph.op("Max", [norm, graph.constant("tinier", 1e-12, np.float32)])])


def build_graph(encoder: MiniLM, int8_embeddings: bool = False) -> onnx.ModelProto:
    graph = GraphBuilder()
    # (batch, 1, 1, length): 0 for word pieces, PADDING_SCORE for padding
    padding = graph.op(
        "Mul",
        [
            graph.op("Sub", [graph.constant("one_mask", 1.0, np.float32), "attention_mask"]),
            graph.constant("padding_score", PADDING_SCORE, np.float32),
        ],
    )
    padding = graph.op("Unsqueeze", [padding, graph.constant("axes12", [1, 2])])
    x = _embeddings(graph, encoder, int8_embeddings)
    for index, layer in enumerate(encoder.layers):
        x = _layer(graph, encoder, x, layer, index, padding)
    embedding = _mean_pooled_unit(graph, x)
    graph.nodes.append(helper.make_node("Identity", [embedding], ["sentence_embedding"]))
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "length"]),
    ]
    outputs = [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", encoder.hidden_size])]
    model = helper.make_model(
        helper.make_graph(graph.nodes, "all-MiniLM-L6-v2", inputs, outputs, graph.initializers),
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="untangle",
    )
    model.ir_version = 8  # readable by onnxruntime 1.13 and later
    onnx.checker.check_model(model)
    return model


def quantize(model: onnx.ModelProto) -> onnx.ModelProto:
    """8-bit weights in blocks of BLOCK_SIZE for the dense layers (MatMulNBits), computed in int8 with the
    activations quantized per block of each row (accuracy level 4), so a text's vector does not depend on the
    other texts of its batch; attention's own products stay float32.

    Not quantize_dynamic: it quantizes each activation tensor as a whole, and this model's hidden states have a
    few channels far larger than the rest, so its vectors fell to a cosine of 0.97 of the float ones ("ok",
    "why?"), and a text's vector changed with the other texts of its batch."""
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer

    config = DefaultWeightOnlyQuantConfig(
        block_size=BLOCK_SIZE, is_symmetric=False, accuracy_level=4, bits=8, op_types_to_quantize=("MatMul",)
    )
    logging.getLogger("onnxruntime.quantization").setLevel(logging.WARNING)  # it logs every node
    quantizer = MatMulNBitsQuantizer(model, algo_config=config, op_types_to_quantize=("MatMul",))
    quantizer.process()
    return quantizer.model.model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="the encoder folder made by `make encoder`")
    parser.add_argument("--float", action="store_true", help=f"also write the float32 graph, {FLOAT_FILE}")
    args = parser.parse_args()
    encoder = MiniLM.load(args.folder)
    if args.float:
        onnx.save(build_graph(encoder), str(args.folder / FLOAT_FILE))
    int8_path = args.folder / INT8_FILE
    onnx.save(quantize(build_graph(encoder, int8_embeddings=True)), str(int8_path))
    print(json.dumps({"written": str(int8_path), "MB": round(int8_path.stat().st_size / 1e6, 1)}))


if __name__ == "__main__":
    main()
