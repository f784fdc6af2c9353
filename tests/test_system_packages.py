"""A fresh machine's `make test`: the Debian packages come first, installed as root or named in the first seconds.

scripts/install_system_packages.sh runs for real on a PATH with none of the packages and with stand-ins for `id`
(root or not) and `apt-get` (records what it was asked), so nothing is installed on this machine.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "install_system_packages.sh"


def stand_ins(folder: Path, uid: int) -> Path:
    """A PATH folder with bash, an `id` that answers `uid`, and an `apt-get` that records its arguments."""
    folder.mkdir()
    (folder / "bash").symlink_to("/bin/bash")
    for name, body in (("id", f"echo {uid}"), ("apt-get", f'echo "$*" >> {folder}/apt-get.log')):
        (folder / name).write_text(f"#!/bin/bash\n{body}\n")
        (folder / name).chmod(0o755)
    return folder


def run_script(folder: Path) -> subprocess.CompletedProcess:
    env = {"PATH": str(folder), "HOME": str(folder)}
    return subprocess.run([str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)


def test_without_root_it_stops_naming_the_packages_and_the_one_command(tmp_path):
    folder = stand_ins(tmp_path / "bin", uid=1000)
    result = run_script(folder)
    assert result.returncode == 1
    assert "missing Debian packages: chromium npm redis-server nginx" in result.stderr
    assert f"Run once: sudo {SCRIPT}" in result.stderr
    assert not (folder / "apt-get.log").exists()


def test_as_root_it_installs_what_is_missing(tmp_path):
    folder = stand_ins(tmp_path / "bin", uid=0)
    result = run_script(folder)
    assert result.returncode == 0, result.stderr
    update, install = (folder / "apt-get.log").read_text().splitlines()
    assert update == "update -qq"
    assert install.startswith("install -y -qq --no-install-recommends chromium npm redis-server nginx")


def test_make_test_checks_the_packages_before_anything_else():
    # Run from inside `make test` (as CI does), make would print "Entering directory" first without these.
    outer = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "test"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=outer
    )
    commands = [line for line in result.stdout.splitlines() if line.strip()]
    assert commands and commands[0].endswith("scripts/install_system_packages.sh"), commands[:3]
