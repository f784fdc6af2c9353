"""One `install()` for every patch: only on the pinned Rasa, never when UNTANGLE_STOCK_RASA=1, and it says which."""

import importlib
import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from untangle_server import rasa_patches

ROOT = Path(__file__).resolve().parents[2]


def installed_in_fresh_interpreter(code: str, env_switch: str = "") -> subprocess.CompletedProcess:
    """Patches re-bind Rasa's classes for the whole process, so installing them for real runs in a fresh one."""
    env = {name: value for name, value in os.environ.items() if name != rasa_patches.SWITCH}
    if env_switch:
        env[rasa_patches.SWITCH] = env_switch
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


CHECK = """
    import logging
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from rasa.shared.core.domain import Domain
    original = Domain.states_for_tracker_history
    from untangle_server import rasa_patches
    print("installed:", rasa_patches.install())
    print("states patched:", Domain.states_for_tracker_history is not original)
"""


def test_the_pinned_version_is_the_one_constraints_txt_installs():
    pins = re.findall(r"^rasa==(\S+)$", (ROOT / "constraints.txt").read_text(), flags=re.MULTILINE)
    assert pins == [rasa_patches.PINNED_RASA]


def test_every_patch_module_is_installed_on_the_pinned_rasa():
    result = installed_in_fresh_interpreter(CHECK)
    assert result.returncode == 0, result.stderr
    assert f"installed: {list(rasa_patches.PATCHES)}" in result.stdout
    assert "states patched: True" in result.stdout
    assert "Rasa patches installed: " + ", ".join(rasa_patches.PATCHES) in result.stderr


@pytest.mark.parametrize("switch", ["1", "true"])
def test_the_switch_leaves_rasa_stock_and_says_so(switch):
    result = installed_in_fresh_interpreter(CHECK, env_switch=switch)
    assert result.returncode == 0, result.stderr
    assert "installed: []" in result.stdout and "states patched: False" in result.stdout
    assert "UNTANGLE_STOCK_RASA is set: stock Rasa" in result.stderr


def test_the_switch_set_to_0_keeps_the_patches():
    result = installed_in_fresh_interpreter(CHECK, env_switch="0")
    assert "states patched: True" in result.stdout


def test_another_rasa_version_gets_no_patch_and_one_clear_line(monkeypatch, caplog):
    monkeypatch.delenv(rasa_patches.SWITCH, raising=False)
    imported = []
    monkeypatch.setattr(rasa_patches.importlib, "import_module", imported.append)
    with caplog.at_level(logging.INFO, logger=rasa_patches.__name__):
        assert rasa_patches.install(rasa_version="3.6.20") == []
    assert imported == []
    assert [record.getMessage() for record in caplog.records] == [
        "Rasa 3.6.20 is not the pinned 3.6.21: stock Rasa, no Untangle patch installed."
    ]


def test_every_listed_patch_is_a_module_of_the_package_with_an_install():
    modules = sorted(
        path.stem
        for path in Path(rasa_patches.__file__).parent.glob("*.py")
        if not path.stem.startswith(("test_", "__"))
    )
    assert sorted(rasa_patches.PATCHES) == modules
    # Importing a patch module changes nothing in Rasa; only its install() does.
    assert all(
        callable(importlib.import_module(f"untangle_server.rasa_patches.{name}").install)
        for name in rasa_patches.PATCHES
    )
