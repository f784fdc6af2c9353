"""deploy/compose.yml with podman-compose: Redis, two replicas of the Untangle image, nginx in front of them.

Marked `image` and left out of the normal pytest run by pytest.ini (`-m "not image"`: it needs podman and the
images); `make image-test` builds the images (local stand-ins for the official Redis and nginx ones) and runs these.
"""

from __future__ import annotations

import os
import subprocess
import time
from typing import Iterator, List

import pytest

from tests.e2e.servers import free_port
from tests.image.podman import (
    CONTAINERS_CONF,
    CRISIS_MESSAGE,
    IMAGE,
    ROOT,
    crisis_payloads,
    logs,
    needs_built_images,
    podman,
    record_figure,
    request,
    send,
    wait_for_first_reply,
)

pytestmark = [pytest.mark.image, needs_built_images]
PROJECT = f"untangle-image-test-{os.getpid()}"
COMPOSE_FILE = ROOT / "deploy" / "compose.yml"
ALLOWED_ORIGIN = "https://help.example.org"
SENT_TEXTS = [CRISIS_MESSAGE, "how do i set boundaries"]


def compose(*args: str, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    command = ["podman-compose", "-p", PROJECT, "-f", str(COMPOSE_FILE), *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result


def project_containers() -> List[str]:
    listed = podman("ps", "-a", "--filter", f"label=io.podman.compose.project={PROJECT}", "--format", "{{.Names}}")
    return listed.stdout.split()


@pytest.fixture(scope="module")
def public_url() -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(CONTAINERS_CONF)),
        "UNTANGLE_IMAGE": IMAGE,
        "UNTANGLE_PUBLIC_PORT": str(port),
        "UNTANGLE_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
        "UNTANGLE_REDIS_IMAGE": os.environ.get("UNTANGLE_TEST_REDIS_IMAGE", "localhost/untangle-test-redis:bookworm"),
        "UNTANGLE_NGINX_IMAGE": os.environ.get("UNTANGLE_TEST_NGINX_IMAGE", "localhost/untangle-test-nginx:bookworm"),
    }
    started = time.monotonic()
    try:
        compose("up", "-d", env=env)
        url = f"http://127.0.0.1:{port}"
        record_figure(
            "compose_seconds_from_up_to_first_reply",
            round(wait_for_first_reply(url, [c for c in project_containers() if "nginx-config" not in c], started), 1),
        )
        yield url
    finally:
        subprocess.run(
            ["podman-compose", "-p", PROJECT, "-f", str(COMPOSE_FILE), "down", "-v", "-t", "5"],
            capture_output=True,
            env=env,
            timeout=300,
        )
        podman("network", "rm", "-f", f"{PROJECT}_default", check=False)  # podman-compose 1.0 leaves it


def replicas() -> List[str]:
    return [name for name in project_containers() if "rasa" in name]


def test_two_replicas_answer_one_conversation_through_nginx(public_url):
    assert len(replicas()) == 2
    referral = crisis_payloads(send(public_url, "compose-crisis", CRISIS_MESSAGE, metadata={"country": "GB"}))
    assert referral and referral[0]["country"] == "GB"
    # Round robin: the next turns go to both replicas, which share the conversation through Redis.
    for _ in range(3):
        assert any(m.get("text") for m in send(public_url, "compose-crisis", "how do i set boundaries"))
    redis = next(name for name in project_containers() if "redis" in name)
    keys = podman("exec", redis, "redis-cli", "--scan", "--pattern", "untangle:tracker:*").stdout.split()
    assert "untangle:tracker:compose-crisis" in keys  # the conversation is in Redis, for every replica
    assert status_inside(replicas()[0], "/conversations/compose-crisis/tracker") == 404  # the HTTP API is off


def status_inside(container: str, path: str) -> int:
    """The status of a GET from inside a replica to its own port (which is not published)."""
    script = (
        "import urllib.request, urllib.error\n"
        f"try: print(urllib.request.urlopen('http://127.0.0.1:5005{path}').status)\n"
        "except urllib.error.HTTPError as error: print(error.code)"
    )
    return int(podman("exec", container, "python", "-c", script).stdout.strip())


def test_nginx_serves_the_widget_and_not_rasa_s_api(public_url):
    status, _, body = request(f"{public_url}/widget/untangle.js")
    assert status == 200 and body == (ROOT / "web" / "widget" / "untangle.js").read_bytes()
    assert request(f"{public_url}/conversations/compose-crisis/tracker")[0] == 404
    assert request(f"{public_url}/model/parse", "POST", {"text": "hi"})[0] in (404, 405)


def test_cors_through_nginx_answers_only_the_configured_origin(public_url):
    def allowed(origin: str):
        return request(
            f"{public_url}/webhooks/rest/webhook",
            "OPTIONS",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )[1].get("access-control-allow-origin")

    assert allowed(ALLOWED_ORIGIN) == ALLOWED_ORIGIN
    assert allowed("https://elsewhere.example") is None


def test_no_message_text_in_any_log(public_url):
    send(public_url, "compose-logs", CRISIS_MESSAGE, metadata={"country": "GB"})
    for container in project_containers():
        output = logs(container).lower()
        for text in SENT_TEXTS:
            assert text not in output, f"{text!r} is in {container}'s log"
