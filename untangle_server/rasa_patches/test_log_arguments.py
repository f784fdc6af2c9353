"""Rasa's debug-log copies are skipped at INFO and kept at DEBUG; its modules use `copy` for nothing else."""
import ast
import importlib
import inspect
import logging

import pytest
import structlog

from untangle_server.rasa_patches import log_arguments


def copy_uses_outside_debug_calls(module_name: str) -> list:
    """Every use of the module's `copy` name that is not inside a `structlogger.debug(...)` call."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    inside_debug = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "structlogger.debug":
            inside_debug.update(id(child) for child in ast.walk(node))
    return [ast.unparse(node) for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "copy" and id(node) not in inside_debug]


@pytest.mark.parametrize("module_name", log_arguments.MODULES)
def test_rasas_module_copies_only_what_it_logs(module_name):
    assert copy_uses_outside_debug_calls(module_name) == []
    assert "copy.deepcopy(" in inspect.getsource(importlib.import_module(module_name))


@pytest.fixture
def structlog_level():
    saved = structlog.get_config()

    def configure(level: int) -> None:
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(level))

    yield configure
    structlog.configure(**saved)


def test_at_info_the_value_itself_is_passed(structlog_level):
    structlog_level(logging.INFO)
    states = [{"user": {"intent": "greet"}}]
    assert log_arguments.CopyForLogs().deepcopy(states) is states


def test_at_debug_the_value_is_copied_as_rasa_does(structlog_level):
    structlog_level(logging.DEBUG)
    states = [{"user": {"intent": "greet"}}]
    copied = log_arguments.CopyForLogs().deepcopy(states)
    assert copied == states and copied is not states and copied[0]["user"] is not states[0]["user"]


def test_the_stand_in_is_copy_otherwise():
    assert log_arguments.CopyForLogs().copy([1]) == [1]


def test_install_points_the_modules_at_the_stand_in(monkeypatch):
    import copy

    for name in log_arguments.MODULES:
        monkeypatch.setattr(importlib.import_module(name), "copy", copy)
    log_arguments.install()
    assert all(isinstance(importlib.import_module(name).copy, log_arguments.CopyForLogs)
               for name in log_arguments.MODULES)
