"""Stand-in model archives for the launcher's tests: only the metadata that says which classes a model runs."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from untangle_server.without_tensorflow import MODEL_COMPONENTS_FILE

ROOT = Path(__file__).resolve().parents[2]


def write_model(path: Path, component_classes) -> Path:
    """A model archive holding only the metadata.json Rasa writes: which classes run at prediction time."""
    nodes = {f"node{index}": {"uses": class_path} for index, class_path in enumerate(component_classes)}
    metadata = path.parent / MODEL_COMPONENTS_FILE
    metadata.write_text(json.dumps({"predict_schema": {"nodes": nodes}}))
    with tarfile.open(path, "w:gz") as archive:
        archive.add(metadata, arcname=MODEL_COMPONENTS_FILE)
    return path
