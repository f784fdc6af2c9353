"""Start the real Rasa server (and, where a test needs one, an action server) on free loopback ports.

As a command, `python -m tests.e2e.servers CMD...` runs CMD with the assistant up as `make run` starts it (actions
inside the Rasa server) and UNTANGLE_SERVER_URL set, so the end-to-end tests and the widget's live browser tests
share one real assistant.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator, List, Optional, Sequence

import yaml

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "untangle.tar.gz"
RASA = str(Path(sys.executable).with_name("rasa"))
# `write_endpoints`/`rasa_server`: the actions run inside the Rasa server, as the project's endpoints.yml says.
IN_PROCESS = "in-process"
START_TIMEOUT_S = 240
# As scripts/run.sh starts the servers: on loopback, with the keep-alive it gives the action server, and with
# Rasa's telemetry off (tests/test_telemetry_default.py checks that run.sh and this agree on it).
SERVER_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SANIC_HOST": "127.0.0.1",
    "SANIC_KEEP_ALIVE_TIMEOUT": "60",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "RASA_TELEMETRY_ENABLED": "false",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} during start-up")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def log_path(log_name: str) -> Path:
    """Where a server's output goes: one folder per test process, so suites running side by side keep their logs."""
    log_dir = ROOT / "results" / "e2e" / str(os.getpid())
    log_dir.mkdir(parents=True, exist_ok=True)
    return log_dir / f"{log_name}.log"


def action_server_command(port: int) -> List[str]:
    return [RASA, "run", "actions", "--port", str(port)]


SERVED_LAUNCHER = (sys.executable, "-m", "untangle_server.serve")


def rasa_server_command(
    port: int, endpoints: Path, *extra: str, launcher: Sequence[str] = SERVED_LAUNCHER, model: Optional[Path] = None
) -> List[str]:
    """The Rasa server as `make run` starts it (`rasa run` without TensorFlow), for the trained model on loopback
    with the project's channels; `extra` adds `rasa run` options, `launcher` replaces the launcher (e.g. stock
    `rasa`)."""
    return [
        *launcher,
        "run",
        "--model",
        # MODEL read now, not when this module was imported: the safety evaluation sets it to its --model
        str(model or MODEL),
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
        "--credentials",
        str(ROOT / "credentials.yml"),
        "--endpoints",
        str(endpoints),
        *extra,
    ]


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if the process is still there after 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def started(command: List[str], log_name: str, env: Optional[dict] = None) -> Iterator[subprocess.Popen]:
    """Run a process (without waiting for it to be up) until the block ends; its output goes to its log file."""
    env = {**os.environ, **SERVER_ENV, **(env or {})}
    with open(log_path(log_name), "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            yield process
        finally:
            stop(process)


@contextlib.contextmanager
def running(
    command: List[str], health_url: str, log_name: str, env: Optional[dict] = None
) -> Iterator[subprocess.Popen]:
    """Run a server until the block ends, once `health_url` answers; output under results/e2e/ for debugging."""
    with started(command, log_name, env) as process:
        wait_until_up(health_url, process)
        yield process


@contextlib.contextmanager
def action_server() -> Iterator[str]:
    port = free_port()
    with running(action_server_command(port), f"http://127.0.0.1:{port}/health", "action-server"):
        yield f"http://127.0.0.1:{port}/webhook"


def write_endpoints(path: Path, action_url: Optional[str], **overrides: Any) -> Path:
    """The project's endpoints.yml and `overrides`, with the actions run as `action_url` says: IN_PROCESS (the
    project's own setting), an action server's URL, or None (no actions at all)."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    if action_url is None:
        endpoints.pop("action_endpoint")
    elif action_url != IN_PROCESS:
        endpoints["action_endpoint"]["url"] = action_url
        endpoints["action_endpoint"].pop("actions_module", None)
    endpoints.update(overrides)
    path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return path


@contextlib.contextmanager
def rasa_server(tmp_dir: Path, action_url: Optional[str] = IN_PROCESS) -> Iterator[str]:
    """The Rasa server with the REST channel, its actions run as `write_endpoints` says."""
    port = free_port()
    endpoints = write_endpoints(tmp_dir / "endpoints.yml", action_url)
    # CORS open to any origin: the server listens on loopback only, for the widget's test pages.
    command = rasa_server_command(port, endpoints, "--cors", "*")
    log_name = {IN_PROCESS: "rasa-server", None: "rasa-server-no-actions"}.get(action_url, "rasa-server-action-server")
    with running(command, f"http://127.0.0.1:{port}/", log_name):
        yield f"http://127.0.0.1:{port}"


def send(server_url: str, sender: str, text: str, metadata: Optional[dict] = None) -> List[dict]:
    """One user message through Rasa's REST channel; the bot's messages in order."""
    body = {"sender": sender, "message": text}
    if metadata is not None:
        body["metadata"] = metadata
    request = urllib.request.Request(
        f"{server_url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main(argv: List[str]) -> int:
    if not argv:
        print("usage: python -m tests.e2e.servers CMD [ARGS...]", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp, rasa_server(Path(tmp)) as url:
        print(f"assistant up at {url} (logs in {log_path('rasa-server').parent})", flush=True)
        return subprocess.call(argv, env={**os.environ, "UNTANGLE_SERVER_URL": url})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
