"""all-MiniLM-L6-v2 run by onnxruntime: the graph untangle_nlu/minilm_onnx_build.py wrote (`make encoder-int8`).

`MiniLMOnnx.load(folder, "onnx_int8")` reads model_int8.onnx (int8 dense layers: vectors within a cosine of 0.99 of
the float ones, untangle_nlu/test_minilm_onnx.py); "onnx" reads model.onnx (float32, the numpy encoder's vectors).
Word pieces, batching and the order of results are MiniLM's (minilm.SentenceEncoder), so the two runtimes differ
only in the arithmetic of a batch. onnxruntime's own thread pool is set to `threads` (1 by default, like the
server's single BLAS thread: the server answers several conversations at once on 2 cores).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Union

import numpy as np

from untangle_nlu.minilm import EncoderFilesMissing, SentenceEncoder, check_folder, load_tokenizer, padded

GRAPH_FILES = {"onnx": "model.onnx", "onnx_int8": "model_int8.onnx"}


def graph_file(runtime: str) -> str:
    if runtime not in GRAPH_FILES:
        raise ValueError(f"Unknown encoder runtime {runtime!r}: one of numpy, {', '.join(GRAPH_FILES)}")
    return GRAPH_FILES[runtime]


class MiniLMOnnx(SentenceEncoder):
    """The encoder as one onnxruntime session; `encode` as MiniLM's."""

    def __init__(self, tokenizer, session, hidden_size: int, runtime: str) -> None:
        super().__init__(tokenizer, hidden_size)
        self.session = session
        self.runtime = runtime

    @classmethod
    def load(cls, folder: Union[str, Path], runtime: str = "onnx_int8", threads: int = 1) -> MiniLMOnnx:
        """Raises EncoderFilesMissing without the graph file, ImportError without onnxruntime."""
        folder = Path(folder)
        name = graph_file(runtime)
        check_folder(folder, ("tokenizer.json", "config.json", name), make_target="encoder-int8")
        import onnxruntime  # only here: the numpy runtime does not need it installed

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only
        session = onnxruntime.InferenceSession(str(folder / name), options, providers=["CPUExecutionProvider"])
        hidden_size = json.loads((folder / "config.json").read_text())["hidden_size"]
        return cls(load_tokenizer(folder), session, hidden_size, runtime)

    def _encode_ids(self, id_lists: List[List[int]]) -> np.ndarray:
        ids, mask = padded(id_lists)
        (vectors,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return vectors


__all__ = ["MiniLMOnnx", "EncoderFilesMissing", "GRAPH_FILES", "graph_file"]
