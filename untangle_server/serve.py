"""Rasa's CLI as Untangle serves it: `python -m untangle_server.serve run|test|shell [the same rasa options]`.

`run` is `rasa run` (the Rasa server), `test` is `rasa test` (`test core` for the test stories, `test nlu`), `shell`
is `rasa shell`: the same Rasa CLI, channels, endpoints and model loading, so `make stories`, `make nlu-test` and a
shell talk to the engine `make run` serves. Only the TensorFlow import is replaced by a stand-in (see
without_tensorflow.py), which roughly halves start-up time and memory. A model that needs TensorFlow (DIET, TED,
...) is handed to the stock `rasa` command instead, with a log line saying why.

Rasa 3.6.21's hot paths that do more work than the answer needs are replaced by the patches of
untangle_server/rasa_patches/ (docs/patches.md: what each saves; `UNTANGLE_STOCK_RASA=1` turns them all off), and
action_executor.py runs the custom actions in this process when endpoints.yml names an `actions_module`.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import List, Optional

from untangle_server import without_tensorflow

logger = logging.getLogger(__name__)
DEFAULT_MODELS = "models"
COMMANDS = ("run", "test", "shell")
USAGE = (
    "usage: python -m untangle_server.serve {run,test,shell} [rasa options]  "
    "(`run` is the Rasa server only: start an action server with `rasa run actions`)"
)


def model_argument(args: List[str]) -> str:
    """The `--model`/`-m` value `rasa run` will use (the last one given, as argparse does), or its default folder."""
    model = DEFAULT_MODELS
    for index, arg in enumerate(args):
        if arg in ("--model", "-m") and index + 1 < len(args):
            model = args[index + 1]
        elif arg.startswith("--model="):
            model = arg.split("=", 1)[1]
    return model


def resolve_model(model: str) -> Optional[Path]:
    """The archive `rasa run` would load: the file itself, or the newest archive in a folder."""
    path = Path(model)
    if path.is_dir():
        archives = sorted(path.glob("*.tar.gz"), key=lambda archive: archive.stat().st_mtime)
        return archives[-1] if archives else None
    return path if path.is_file() else None


def run_stock_rasa(args: List[str], reason: str) -> None:
    print(f"untangle_server.serve: {reason}; starting the stock `rasa` command instead.", file=sys.stderr)
    rasa = Path(sys.executable).with_name("rasa")
    os.execv(str(rasa), [str(rasa), *args])


def _report_to_stderr(patch_logger: logging.Logger) -> None:
    """The patches' one line, on stderr: Rasa configures logging only once its CLI runs."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("untangle_server.serve: %(message)s"))
    patch_logger.addHandler(handler)
    patch_logger.setLevel(logging.INFO)
    patch_logger.propagate = False


def is_supported(args: List[str]) -> bool:
    """Whether the arguments are a Rasa command this launcher runs (not training, and not the action server)."""
    return bool(args) and args[0] in COMMANDS and args[1:2] != ["actions"]


def main(args: List[str]) -> None:
    if not is_supported(args):
        sys.exit(USAGE)
    model = resolve_model(model_argument(args))
    without_tensorflow.install()
    if model is not None:
        needing_tensorflow = without_tensorflow.tensorflow_components(model)
        if needing_tensorflow:
            run_stock_rasa(args, f"{model} uses TensorFlow components ({', '.join(needing_tensorflow)})")
    # skops (which loads the logistic regression classifier) indexes every loaded module when it is first
    # imported: ~1.7 s before Rasa's 2,500 modules are loaded, ~4 s after.
    import skops.io  # noqa: F401
    from rasa.__main__ import main as rasa_main  # imported only after the stand-in is in place

    from untangle_server import action_executor, rasa_patches

    _report_to_stderr(rasa_patches.logger)
    rasa_patches.install()
    action_executor.install()
    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
