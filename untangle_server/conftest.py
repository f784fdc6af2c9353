"""The trained model, loaded the way the Rasa server loads it, for tests that compare with Rasa's own code paths, and
the project's own conversations (its stories and rules) as Rasa's trackers have them."""

import random
from pathlib import Path
from typing import Callable, Type

import pytest
from rasa.engine import loader
from rasa.engine.runner.interface import GraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.importers.importer import TrainingDataImporter

ROOT = Path(__file__).resolve().parents[1]
TRAINED_MODEL = ROOT / "models" / "untangle.tar.gz"


@pytest.fixture(scope="module")
def load_trained_model(tmp_path_factory) -> Callable[[Type[GraphRunner]], tuple]:
    """Loads models/untangle.tar.gz with a given graph runner class: (model metadata, runner)."""
    if not TRAINED_MODEL.exists():
        pytest.fail(
            f"no trained model at {TRAINED_MODEL}: run `make train` (`make pytest` trains first)", pytrace=False
        )

    def load(runner_class: Type[GraphRunner]) -> tuple:
        storage = tmp_path_factory.mktemp(runner_class.__name__)
        return loader.load_predict_graph_runner(storage, TRAINED_MODEL, LocalModelStorage, runner_class)

    return load


@pytest.fixture(scope="module")
def project_conversations():
    """The project's domain and the conversations of its stories and rules, ActionExecuted events marked hidden at
    random as RulePolicy marks its predictions in a live conversation."""
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    )
    domain = importer.get_domain()
    trackers = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0).generate()
    rng = random.Random(5)
    conversations = []
    for tracker in trackers:
        events = [
            ActionExecuted(event.action_name, hide_rule_turn=rng.random() < 0.3)
            if isinstance(event, ActionExecuted)
            else event
            for event in tracker.events
        ]
        conversations.append(events)
    return domain, conversations
