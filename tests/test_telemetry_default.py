"""Rasa's usage reports (telemetry) are off in every server `make run` starts, unless the organisation turns them on.

scripts/run.sh is run for real with stand-ins for the venv's python and for curl: the stand-in Rasa server records
the environment run.sh starts it with and exits, so no server starts and no port is used.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

import pytest
import yaml
from rasa import telemetry

from tests.e2e.servers import SERVER_ENV

ROOT = Path(__file__).resolve().parents[1]
TELEMETRY = telemetry.TELEMETRY_ENABLED_ENVIRONMENT_VARIABLE  # RASA_TELEMETRY_ENABLED

# The venv's python as run.sh sees it: the Rasa server writes its environment to $RECORD and exits; anything else
# (run.sh's endpoints.yml writer) runs on the real interpreter; the demo page's web server waits to be stopped, so
# run.sh's start-up check sees the Rasa server's exit only after the record is written.
FAKE_PYTHON = """#!/usr/bin/env bash
if [ "$1 $2" = "-m untangle_server.serve" ]; then env -0 > "$RECORD"; exit 0; fi
if [ "$1 $2" = "-m http.server" ]; then exec sleep 60; fi
exec {python} "$@"
"""


def write_executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def rasa_server_env_from_run_sh(tmp_path: Path, operator_env: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The environment scripts/run.sh gives the Rasa server, for an operator's environment without RASA_TELEMETRY_*
    plus `operator_env`."""
    write_executable(tmp_path / ".venv" / "bin" / "python", FAKE_PYTHON.format(python=sys.executable))
    write_executable(tmp_path / "fake-bin" / "curl", "#!/bin/sh\nexit 7\n")  # never up: run.sh notices the exit
    (tmp_path / "endpoints.yml").write_text((ROOT / "endpoints.yml").read_text(encoding="utf-8"), encoding="utf-8")
    record = tmp_path / "rasa-server.env"
    env = {name: value for name, value in os.environ.items() if not name.startswith("RASA_TELEMETRY")}
    env.update(
        operator_env or {},
        RECORD=str(record),
        TMPDIR=str(tmp_path),
        PATH=f"{tmp_path / 'fake-bin'}{os.pathsep}{env.get('PATH', '')}",
    )
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run.sh"), "1", "2", "3"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert record.exists(), f"run.sh did not start the Rasa server:\n{result.stdout}\n{result.stderr}"
    return dict(item.split("=", 1) for item in record.read_text(encoding="utf-8").split("\0") if "=" in item)


def rasa_reports_usage(env: Dict[str, str], monkeypatch: pytest.MonkeyPatch) -> bool:
    """What Rasa 3.6 itself decides for a process with this environment (the environment wins over ~/.config)."""
    monkeypatch.delenv(TELEMETRY, raising=False)
    if TELEMETRY in env:
        monkeypatch.setenv(TELEMETRY, env[TELEMETRY])
    return telemetry.is_telemetry_enabled()


def test_run_sh_starts_the_rasa_server_with_telemetry_off(tmp_path, monkeypatch):
    server_env = rasa_server_env_from_run_sh(tmp_path)
    assert server_env.get(TELEMETRY) == "false"
    assert not rasa_reports_usage(server_env, monkeypatch)


def test_an_organisation_can_turn_telemetry_on_for_run_sh(tmp_path, monkeypatch):
    server_env = rasa_server_env_from_run_sh(tmp_path, {TELEMETRY: "true"})
    assert rasa_reports_usage(server_env, monkeypatch)


def test_the_test_servers_have_telemetry_off_as_run_sh_does(monkeypatch):
    assert not rasa_reports_usage(SERVER_ENV, monkeypatch)


def make_sees(tmp_path: Path, *make_args: str, operator_env: Optional[Dict[str, str]] = None) -> str:
    """RASA_TELEMETRY_ENABLED as a recipe of the project's Makefile sees it (`rasa train`, `rasa test`, run.sh)."""
    probe = tmp_path / "probe.mk"
    probe.write_text('telemetry-probe:\n\t@echo "$${RASA_TELEMETRY_ENABLED-unset}"\n', encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if not name.startswith(("RASA_TELEMETRY", "MAKE"))}
    env.update(operator_env or {})
    result = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", str(probe), "telemetry-probe", *make_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_make_recipes_run_with_telemetry_off(tmp_path):
    assert make_sees(tmp_path) == "false"


@pytest.mark.parametrize("how", ["environment", "command line"])
def test_an_organisation_can_turn_telemetry_on_for_make(tmp_path, how):
    if how == "environment":
        assert make_sees(tmp_path, operator_env={TELEMETRY: "true"}) == "true"
    else:
        assert make_sees(tmp_path, f"{TELEMETRY}=true") == "true"


def test_the_served_image_and_compose_default_to_telemetry_off():
    served_stage = (ROOT / "Containerfile").read_text(encoding="utf-8").rsplit("\nFROM ", 1)[1]
    assert f"{TELEMETRY}=false" in served_stage, "the image that serves sets it off"
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text(encoding="utf-8"))
    assert compose["x-replica"]["environment"][TELEMETRY] == f"${{{TELEMETRY}:-false}}", "off unless the .env says"
