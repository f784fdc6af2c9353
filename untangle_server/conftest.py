"""The trained model, loaded the way the Rasa server loads it, for tests that compare with Rasa's own code paths."""
from pathlib import Path
from typing import Callable, Type

import pytest
from rasa.engine import loader
from rasa.engine.runner.interface import GraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

TRAINED_MODEL = Path(__file__).resolve().parents[1] / "models" / "untangle.tar.gz"


@pytest.fixture(scope="module")
def load_trained_model(tmp_path_factory) -> Callable[[Type[GraphRunner]], tuple]:
    """Loads models/untangle.tar.gz with a given graph runner class: (model metadata, runner)."""
    if not TRAINED_MODEL.exists():
        pytest.fail(f"no trained model at {TRAINED_MODEL}: run `make train` (`make pytest` trains first)",
                    pytrace=False)

    def load(runner_class: Type[GraphRunner]) -> tuple:
        storage = tmp_path_factory.mktemp(runner_class.__name__)
        return loader.load_predict_graph_runner(storage, TRAINED_MODEL, LocalModelStorage, runner_class)

    return load
