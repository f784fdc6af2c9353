"""The MiniLM encoder's reference: sentence-transformers' vectors for our own texts (minilm_reference.json),
and where `make encoder` puts the model files, for the numpy and onnxruntime encoders' tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MODEL_FOLDER = ROOT / "build" / "minilm-l6-v2"
REFERENCE = json.loads((ROOT / "untangle_nlu" / "minilm_reference.json").read_text())
REFERENCE_TEXTS = [example["text"] for example in REFERENCE["examples"]]
REFERENCE_VECTORS = np.array([example["vector"] for example in REFERENCE["examples"]], dtype=np.float64)
