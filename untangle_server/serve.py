"""`rasa run` without TensorFlow: `python -m untangle_server.serve run [any `rasa run` options]`.

The same Rasa CLI, channels, endpoints and model loading as `rasa run`; only the TensorFlow import is replaced
by a stand-in (see without_tensorflow.py), which roughly halves start-up time and memory. A model that needs
TensorFlow (DIET, TED, ...) is handed to the stock `rasa` command instead, with a log line saying why.

Rasa 3.6's hot paths that do more work than the answer needs are replaced by ones that give the same results
(each module says what it saves; docs/benchmarks.md has the figures):
- action_validation.py: action-server replies checked against a schema compiled once;
- event_types.py: event classes looked up once per name when a conversation is read back;
- graph_runner.py: the model's graph run in a fixed order, without building a dask graph per run;
- rule_index.py: RulePolicy tests only the rules indexed under the conversation's last action and intent;
- intent_features.py: the intent classifier's input built without the features it never reads;
- action_connections.py: one kept connection to the action server instead of a new one per call;
- dialogue_states.py: a conversation replayed into dialogue states once per message, not once per policy question;
- log_arguments.py: the values of debug log lines copied only when debug lines are written;
- tracker_copy.py: the conversation copied for each action by its state, not by replaying its events.
And action_executor.py runs the custom actions in this process when endpoints.yml names an `actions_module`.
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


def main(args: List[str]) -> None:
    if not args or args[0] != "run" or (len(args) > 1 and args[1] == "actions"):
        sys.exit("usage: python -m untangle_server.serve run [rasa run options]  (the Rasa server only)")
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

    from untangle_server import (action_connections, action_executor, action_validation, dialogue_states, event_types,
                                 graph_runner, intent_features, log_arguments, rule_index, tracker_copy)

    for faster_path in (action_validation, event_types, graph_runner, rule_index, intent_features, action_connections,
                        dialogue_states, log_arguments, tracker_copy, action_executor):
        faster_path.install()
    sys.argv = ["rasa", *args]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
