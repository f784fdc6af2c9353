"""The launcher finds the model `rasa run` would load and hands TensorFlow models to the stock command."""

import os
import subprocess
import sys
import time

import pytest

from tests.support.model_archives import ROOT, write_model
from untangle_server.serve import is_supported, model_argument, resolve_model


def test_model_argument_reads_every_spelling_rasa_accepts():
    assert model_argument(["run", "--model", "a.tar.gz", "--port", "1"]) == "a.tar.gz"
    assert model_argument(["run", "-m", "b.tar.gz"]) == "b.tar.gz"
    assert model_argument(["run", "--model=c.tar.gz"]) == "c.tar.gz"
    assert model_argument(["run", "--port", "1"]) == "models"
    # Given twice, argparse keeps the last: the launcher must check the model Rasa will actually load.
    assert model_argument(["run", "--model", "plain.tar.gz", "--port", "1", "-m", "ted.tar.gz"]) == "ted.tar.gz"


def test_resolve_model_picks_the_newest_archive_of_a_folder(tmp_path):
    older, newer = tmp_path / "older.tar.gz", tmp_path / "newer.tar.gz"
    older.write_bytes(b""), newer.write_bytes(b"")
    os.utime(older, (time.time() - 60, time.time() - 60))
    assert resolve_model(str(tmp_path)) == newer
    assert resolve_model(str(older)) == older
    assert resolve_model(str(tmp_path / "missing")) is None


def test_a_tensorflow_model_is_started_by_the_stock_rasa_command(tmp_path):
    diet_model = write_model(tmp_path / "diet.tar.gz", ["rasa.nlu.classifiers.diet_classifier.DIETClassifier"])
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "untangle_server.serve", "run", "--model", str(diet_model), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "uses TensorFlow components (rasa.nlu.classifiers.diet_classifier.DIETClassifier)" in result.stderr
    assert "usage: rasa run" in result.stdout  # the stock command took over with the same arguments


def launched(*args: str, stock: bool = False) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name != "UNTANGLE_STOCK_RASA"}
    if stock:
        env["UNTANGLE_STOCK_RASA"] = "1"
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "untangle_server.serve", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_gates_and_the_shell_go_through_the_launcher_but_training_does_not():
    assert all(is_supported(args) for args in (["run"], ["test", "core"], ["test", "nlu"], ["test"], ["shell"]))
    assert not any(is_supported(args) for args in ([], ["train"], ["run", "actions"], ["interactive"]))


@pytest.mark.parametrize("command, stock", [(("test", "core"), False), (("shell",), True)])
def test_test_and_shell_run_rasas_own_command_patched_or_stock_as_switched(command, stock):
    result = launched(*command, "--model", "models/untangle.tar.gz", "--help", stock=stock)
    assert f"usage: rasa {' '.join(command)}" in result.stdout  # Rasa's own CLI parsed the same arguments
    expected = "UNTANGLE_STOCK_RASA is set: stock Rasa" if stock else "Rasa patches installed: "
    assert f"untangle_server.serve: {expected}" in result.stderr


def test_only_the_rasa_server_can_be_started_this_way():
    result = subprocess.run(
        [sys.executable, "-m", "untangle_server.serve", "run", "actions"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "the Rasa server only" in result.stderr
