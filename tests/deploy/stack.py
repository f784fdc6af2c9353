"""Start the scaled set-up of deploy/ on loopback for tests: redis-server, nginx, Rasa replicas, an action server.

Uses the real deploy/ files (endpoints.yml, credentials.yml, redis.conf, nginx.conf.template); only ports, folders
and the nginx rate differ. Server output goes to results/e2e/<pid>/ (see tests.e2e.servers.log_path).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from tests.e2e.servers import MODEL, ROOT, free_port, log_path, stop

DEPLOY = ROOT / "deploy"
REDIS_START_TIMEOUT_S = 20
# nginx's $upstream_addr: "a" when the first replica answered, "a, b" when it retried on b.
UPSTREAM_HEADER = "X-Upstream"


def require_runnable() -> None:
    """Fail the calling test when redis-server or nginx is missing (`make test` installs them: never a silent
    skip); skip it when there is no trained model yet."""
    import pytest

    missing = [name for name in ("redis-server", "nginx") if shutil.which(name) is None]
    if missing:
        pytest.fail(f"the deploy tests need {' and '.join(missing)}: run scripts/install_system_packages.sh as root")
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first", pytrace=False)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} during start-up")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


@dataclass
class RedisServer:
    """redis-server with deploy/redis.conf on its own port and folder; can be stopped and started again."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        command = [
            "redis-server",
            str(DEPLOY / "redis.conf"),
            "--port",
            str(self.port),
            "--dir",
            str(self.data_dir),
            "--bind",
            "127.0.0.1",
        ]
        log = open(log_path("redis-server"), "ab")
        with log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, REDIS_START_TIMEOUT_S)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def client(self, db: int):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=db, decode_responses=True)


@dataclass(frozen=True)
class Turn:
    """What the client saw for one message: status, replies (or the error body) and which replica answered."""

    status: int
    body: object
    upstream: str
    seconds: float

    @property
    def texts(self) -> List[Optional[str]]:
        return [message.get("text") for message in self.body] if isinstance(self.body, list) else []

    @property
    def replica(self) -> str:
        """The replica that answered (the last address nginx tried)."""
        return self.upstream.split(",")[-1].strip()


def post_turn(base_url: str, sender: str, text: str, timeout: float = 30) -> Turn:
    """POST one message to the REST channel; an HTTP error is returned as a Turn, not raised."""
    request = urllib.request.Request(
        f"{base_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    began = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    seconds = time.monotonic() - began
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw.decode(errors="replace")
    return Turn(status, body, headers.get(UPSTREAM_HEADER, ""), seconds)


def user_texts_in_redis(redis_server: RedisServer, sender: str) -> List[str]:
    """The user messages of a conversation as Rasa's Redis tracker store holds them, in order."""
    stored = redis_server.client(db=0).get(f"untangle:tracker:{sender}")
    events = json.loads(stored)["events"] if stored else []
    return [event.get("text") for event in events if event.get("event") == "user"]


def tracker_ttl(redis_server: RedisServer, sender: str) -> int:
    return redis_server.client(db=0).ttl(f"untangle:tracker:{sender}")
