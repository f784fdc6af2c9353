"""The tests' house rules: no test imports a test module or a conftest (shared helpers live in tests/support/ or
are conftest fixtures), and no test changes sys.path (pytest.ini's `pythonpath = .` makes the project importable)."""

from __future__ import annotations

import ast
import configparser
from pathlib import Path
from typing import Iterator, List, Tuple

from tests.replies import ROOT

PACKAGES = ("actions", "bench", "tests", "tools", "untangle_core", "untangle_nlu", "untangle_server")


def python_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def is_test_module(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last == "conftest" or last.startswith("test_")


def imported_modules(tree: ast.AST) -> Iterator[Tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)


def test_nothing_imports_a_test_module_or_a_conftest():
    found: List[str] = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [
            f"{path.relative_to(ROOT)}:{line} imports {name}"
            for line, name in imported_modules(tree)
            if is_test_module(name)
        ]
    assert not found, "move what they share to tests/support/ or a conftest fixture:\n" + "\n".join(found)


def test_no_test_changes_sys_path():
    found: List[str] = []
    for path in python_files():
        if not (is_test_module(path.stem) or path.is_relative_to(ROOT / "tests")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", "") == "sys":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "pytest.ini's pythonpath makes the project importable; these touch sys.path: " + ", ".join(found)


# The only skips allowed: a condition of the machine, not a missing step (`make test` sets everything else up).
PLATFORM_SKIPS = {"tests/e2e/test_lockdown.py": ["this machine has no non-loopback IPv4 address"]}


def skip_calls(tree: ast.AST) -> Iterator[Tuple[int, str]]:
    """(line, reason) of each pytest.skip(...), pytest.importorskip(...) and pytest.mark.skipif/skip(...)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr in ("skip", "skipif", "importorskip"):
            texts = [
                a.value
                for a in [*node.args, *(k.value for k in node.keywords)]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            yield node.lineno, " ".join(texts) or ast.unparse(node)


def test_no_test_skips_for_a_missing_prerequisite():
    found: List[str] = []
    for path in python_files():
        where = str(path.relative_to(ROOT))
        for line, reason in skip_calls(ast.parse(path.read_text(encoding="utf-8"))):
            if reason not in PLATFORM_SKIPS.get(where, []):
                found.append(f"{where}:{line} skips ({reason})")
    assert not found, (
        "fail with the command to run instead (pytest.fail), or name the platform condition:\n" + "\n".join(found)
    )


def test_a_plain_pytest_run_collects_every_test_module():
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    testpaths = ini["pytest"]["testpaths"].split()
    modules = {
        path.relative_to(ROOT).parts[0]
        for path in ROOT.glob("*/**/test_*.py")
        if not path.relative_to(ROOT).parts[0].startswith(".") and "node_modules" not in path.parts
    }
    assert modules <= set(testpaths), f"pytest.ini's testpaths leave out {sorted(modules - set(testpaths))}"
