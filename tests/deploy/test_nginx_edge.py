"""What the public side of deploy/nginx.conf.template lets through, with production's rate limit and no replica up."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, Tuple

import pytest

from deploy import nginx_conf
from tests.deploy.stack import require_runnable, wait_for_port
from tests.e2e.servers import free_port, started

pytestmark = pytest.mark.deploy


@pytest.fixture
def nginx_alone(tmp_path: Path) -> Iterator[Tuple[str, Path]]:
    """nginx with the default rate limit in front of replicas that are not running; (base URL, prefix dir)."""
    require_runnable()
    port = free_port()
    conf = nginx_conf.write(
        tmp_path,
        listen=f"127.0.0.1:{port}",
        actions_listen=f"127.0.0.1:{free_port()}",
        rasa=[f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"],
        actions=[f"127.0.0.1:{free_port()}"],
    )
    command = ["nginx", "-c", str(conf), "-p", str(tmp_path), "-e", str(tmp_path / "logs" / "error.log")]
    with started(command, "deploy-nginx-alone") as nginx:
        wait_for_port(port, nginx, 20)
        yield f"http://127.0.0.1:{port}", tmp_path


def request(url: str, method: str = "GET", body: bytes = None) -> Tuple[int, dict, dict]:
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def logged_line(access_log: Path, timeout_s: float = 5.0) -> str:
    """The access log once nginx has written to it: it logs after the response is sent, so a moment later."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if access_log.exists() and access_log.read_text().strip():
            break
        time.sleep(0.05)
    return access_log.read_text() if access_log.exists() else ""


def chat_message(text: str) -> bytes:
    return json.dumps({"sender": "edge-test", "message": text}).encode()


@pytest.mark.parametrize(
    "path",
    ["/conversations/someone/tracker", "/model", "/status", "/version", "/webhooks/rest/", "/_errors/unavailable.json"],
)
def test_only_the_channel_and_status_routes_are_public(nginx_alone, path):
    status, _, body = request(nginx_alone[0] + path)
    assert (status, body) == (404, {"error": "Not found."})


def test_the_rest_channel_takes_only_posts(nginx_alone):
    status, _, body = request(nginx_alone[0] + "/webhooks/rest/webhook")
    assert (status, body) == (405, {"error": "Method not allowed."})


def test_a_long_message_is_refused_with_a_readable_reason(nginx_alone):
    status, _, body = request(nginx_alone[0] + "/webhooks/rest/webhook", "POST", chat_message("a" * 20_000))
    assert status == 413 and "too long" in body["error"]


def test_no_replica_up_gives_a_friendly_json_answer(nginx_alone):
    status, headers, body = request(nginx_alone[0] + "/webhooks/rest/webhook", "POST", chat_message("hello"))
    assert status == 502 and headers["Content-Type"] == "application/json"
    assert body["error"].startswith("The assistant is not available just now.")
    assert "emergency number" in body["error"]


def test_a_client_sending_too_fast_is_slowed_down(nginx_alone):
    answers = [request(nginx_alone[0] + "/webhooks/rest/webhook", "POST", chat_message("hi")) for _ in range(30)]
    refused = [(headers, body) for status, headers, body in answers if status == 429]
    assert refused, "30 messages at once should exceed the burst of 20"
    headers, body = refused[0]
    assert headers["Retry-After"] == "5" and "wait a few seconds" in body["error"]


def test_the_access_log_keeps_no_query_string_and_no_client_address(nginx_alone):
    base_url, prefix = nginx_alone
    request(base_url + "/webhooks/rest/webhook?sender=someone-private", "POST", chat_message("my secret"))
    log = logged_line(prefix / "logs" / "access.log")
    assert "POST /webhooks/rest/webhook 502" in log
    assert "someone-private" not in log and "secret" not in log
    assert not log.split()[0].startswith("127.0.0.1"), "a line should start with the time, not the client"
