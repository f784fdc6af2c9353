"""podman and the images `make image-test` built, for the image tests (tests/image/)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTAINERS_CONF = ROOT / "deploy" / "container" / "containers.conf"
IMAGE = os.environ.get("UNTANGLE_TEST_IMAGE", "localhost/untangle:test")
FIRST_REPLY_TIMEOUT_S = 300
# The texts the tests send: none may reach a log or a file.
CRISIS_MESSAGE = "he said he will kill me tonight"
# make image-test sets UNTANGLE_IMAGE_TEST=1 after building the images; a plain `pytest -m image` without them fails
# at once, naming the command (tests/image/conftest.py).
needs_built_images = pytest.mark.usefixtures("images_built")


def podman(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(CONTAINERS_CONF))}
    result = subprocess.run(["podman", *args], capture_output=True, text=True, env=env, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result


def logs(container: str) -> str:
    result = podman("logs", container, check=False)
    return result.stdout + result.stderr


def request(
    url: str, method: str = "GET", body: Optional[dict] = None, headers: Optional[Dict[str, str]] = None
) -> Tuple[int, Dict[str, str], bytes]:
    """status, headers (lower-case names) and body of one HTTP request; HTTP errors are answers too."""
    data = json.dumps(body).encode() if body is not None else None
    request_headers = {"Content-Type": "application/json", **(headers or {})}
    prepared = urllib.request.Request(url, data=data, headers=request_headers, method=method)
    try:
        with urllib.request.urlopen(prepared, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def send(server_url: str, sender: str, text: str, metadata: Optional[dict] = None) -> List[dict]:
    """One message through the REST channel; the bot's messages."""
    body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
    status, _, reply = request(f"{server_url}/webhooks/rest/webhook", "POST", body)
    assert status == 200, f"{status}: {reply[:300]!r}"
    return json.loads(reply)


def wait_for_first_reply(server_url: str, containers: List[str], started: float) -> float:
    """Seconds from `started` until the assistant answers a first message; fails if a container stops."""
    while time.monotonic() - started < FIRST_REPLY_TIMEOUT_S:
        try:
            if send(server_url, "start-up-probe", "hello"):
                return time.monotonic() - started
        except (OSError, AssertionError):
            pass
        for container in containers:
            state = podman("inspect", "--format", "{{.State.Status}}", container, check=False).stdout.strip()
            if state in ("exited", "dead", ""):
                raise AssertionError(f"{container} stopped during start-up ({state}):\n{logs(container)[-3000:]}")
        time.sleep(1)
    raise AssertionError(
        f"no reply within {FIRST_REPLY_TIMEOUT_S} s:\n" + "\n".join(logs(c)[-2000:] for c in containers)
    )


def crisis_payloads(messages: List[dict]) -> List[dict]:
    return [
        m["custom"]
        for m in messages
        if isinstance(m.get("custom"), dict) and m["custom"].get("type") == "crisis_referral"
    ]


def record_figure(name: str, value) -> None:
    """Adds a figure to results/image/figures.json (make image-test prints it)."""
    path = ROOT / "results" / "image" / "figures.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures[name] = value
    path.write_text(json.dumps(figures, indent=2) + "\n")
