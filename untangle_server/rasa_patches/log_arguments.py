"""Copy the values of Rasa's debug log lines only when debug lines are written.

Rasa 3.6 passes `copy.deepcopy(...)` of the dialogue states, events and parse data to `structlogger.debug(...)` in
its message processor and in RulePolicy and MemoizationPolicy. Python evaluates those copies before structlog sees
that the level is off, so at the default level (INFO) every message deep-copies its conversation states several
times for nothing: about 3 % of a message's time here. In those three modules `copy` is used only for log
arguments, so their `copy` name is pointed at a stand-in whose `deepcopy` returns the value itself unless
structlog would write debug lines, and otherwise copies as Rasa does.
"""
from __future__ import annotations

import copy
import logging
from types import ModuleType
from typing import Any, Optional

import structlog

# The modules whose `copy` is used only for log arguments (checked for Rasa 3.6.21: test_log_arguments.py).
MODULES = ("rasa.core.processor", "rasa.core.policies.rule_policy", "rasa.core.policies.memoization")


def debug_lines_written() -> bool:
    """Whether structlog, as configured now, writes debug lines (Rasa configures a level-filtering logger)."""
    wrapper = structlog.get_config()["wrapper_class"]
    return wrapper not in (structlog.make_filtering_bound_logger(level)
                           for level in (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL))


class CopyForLogs(ModuleType):
    """`copy` as seen by a module that copies only what it logs."""

    def __init__(self) -> None:
        super().__init__("copy")

    @staticmethod
    def deepcopy(value: Any, memo: Optional[dict] = None) -> Any:
        return copy.deepcopy(value, memo) if debug_lines_written() else value

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def install() -> None:
    import importlib

    stand_in = CopyForLogs()
    for name in MODULES:
        importlib.import_module(name).copy = stand_in
