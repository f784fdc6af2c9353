"""The TensorFlow stand-in: Rasa's modules import, nothing TensorFlow can run, TF components are found."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.model_archives import write_model
from untangle_server.without_tensorflow import model_component_classes

ROOT = Path(__file__).resolve().parents[1]


def run_isolated(code: str) -> subprocess.CompletedProcess:
    """The stand-in changes the import system, so each check runs in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_rasa_imports_without_loading_tensorflow_and_using_it_fails_loudly():
    result = run_isolated("""
        import sys
        from untangle_server import without_tensorflow
        without_tensorflow.install()
        import rasa.core.policies.ted_policy, rasa.nlu.classifiers.diet_classifier
        import spacy, thinc.compat
        import tensorflow as tf
        print("stand-in", without_tensorflow.is_stand_in(tf), "jax" in sys.modules, thinc.compat.has_tensorflow)
        try:
            tf.constant(1)
        except without_tensorflow.TensorFlowNotLoaded as error:
            print("refused:", error)
    """)
    assert result.returncode == 0, result.stderr
    assert "stand-in True False False" in result.stdout  # no jax either; spaCy's thinc sees no TensorFlow
    assert "refused: `tensorflow.constant` needs TensorFlow" in result.stdout


def test_classes_built_on_tensorflow_names_still_work_as_plain_classes():
    result = run_isolated("""
        from untangle_server import without_tensorflow
        without_tensorflow.install()
        import tensorflow as tf
        class Checkpoint(tf.keras.callbacks.Callback):
            def __init__(self, path):
                self.path = path
        print(Checkpoint("x").path, isinstance(3, tf.Tensor))
    """)
    assert result.stdout.split() == ["x", "False"], result.stderr


def test_install_refuses_when_real_tensorflow_is_already_loaded():
    result = run_isolated("""
        import tensorflow
        from untangle_server import without_tensorflow
        without_tensorflow.install()
    """)
    assert result.returncode != 0
    assert "already imported" in result.stderr


def test_the_trained_model_needs_no_tensorflow_but_diet_and_ted_do(tmp_path):
    trained_model = ROOT / "models" / "untangle.tar.gz"
    if not trained_model.exists():
        pytest.fail(
            f"no trained model at {trained_model}: run `make train` (`make pytest` trains first)", pytrace=False
        )
    diet_model = write_model(
        tmp_path / "diet.tar.gz",
        [
            "rasa.nlu.classifiers.diet_classifier.DIETClassifier",
            "rasa.core.policies.ted_policy.TEDPolicy",
            "rasa.core.policies.rule_policy.RulePolicy",
        ],
    )
    result = run_isolated(f"""
        from pathlib import Path
        from untangle_server import without_tensorflow
        without_tensorflow.install()
        print(without_tensorflow.tensorflow_components(Path({str(trained_model)!r})))
        print(without_tensorflow.tensorflow_components(Path({str(diet_model)!r})))
    """)
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "[]", result.stderr
    assert lines[1] == (
        "['rasa.core.policies.ted_policy.TEDPolicy', 'rasa.nlu.classifiers.diet_classifier.DIETClassifier']"
    )


def test_model_component_classes_reads_the_prediction_graph(tmp_path):
    model = write_model(tmp_path / "m.tar.gz", ["a.B", "c.D", "a.B"])
    assert model_component_classes(model) == ["a.B", "c.D"]
