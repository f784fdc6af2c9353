"""Every replacement of a Rasa 3.6.21 internal that Untangle still makes, installed by one function.

Each module replaces one hot path with one that gives Rasa's own answers (each says what it saves; the figures and
how to turn them off are in docs/patches.md). They re-bind Rasa's class attributes, so they are only safe for the
Rasa they were written and tested against: `install()` does nothing on any other version, and nothing when
`UNTANGLE_STOCK_RASA=1`, logging one line either way. The TensorFlow-free launcher (untangle_server/
without_tensorflow.py) and the in-process actions (untangle_server/action_executor.py) are not patches of this kind
and are not switched by it.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import List, Optional

logger = logging.getLogger(__name__)

PINNED_RASA = "3.6.21"  # constraints.txt pins the same (test_install.py keeps them in step)
SWITCH = "UNTANGLE_STOCK_RASA"
# The patch modules of this package, in the order they are installed. The rule index and the classifier's input row
# were patches too: they are subclasses named in config.yml now (untangle_core/indexed_rule_policy.py,
# untangle_nlu/sentence_logistic_regression.py), used by every Rasa command and not switched by this.
PATCHES = ("action_validation", "event_types", "graph_runner", "dialogue_states")


def stock_rasa_wanted() -> bool:
    """Whether the person running Untangle asked for Rasa as it ships (`UNTANGLE_STOCK_RASA=1`)."""
    return os.environ.get(SWITCH, "").strip().lower() in ("1", "true", "yes")


def install(rasa_version: Optional[str] = None) -> List[str]:
    """Install every patch and return their names; install none (and say why) on another Rasa or when switched off."""
    if stock_rasa_wanted():
        logger.info("%s is set: stock Rasa, no Untangle patch installed.", SWITCH)
        return []
    if rasa_version is None:
        import rasa

        rasa_version = rasa.__version__
    if rasa_version != PINNED_RASA:
        logger.warning(
            "Rasa %s is not the pinned %s: stock Rasa, no Untangle patch installed.", rasa_version, PINNED_RASA
        )
        return []
    for name in PATCHES:
        importlib.import_module(f"{__name__}.{name}").install()
    logger.info("Rasa patches installed: %s (%s=1 turns them off).", ", ".join(PATCHES), SWITCH)
    return list(PATCHES)
