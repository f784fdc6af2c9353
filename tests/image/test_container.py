"""The Untangle image run as the README says: read-only root filesystem, a non-root user, the UNTANGLE_* settings.

Marked `image` and left out of the normal pytest run by pytest.ini (`-m "not image"`: it needs podman and the
images); `make image-test` builds the images and runs these.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Iterator

import pytest

from tests.e2e.servers import free_port
from tests.image.podman import (
    CRISIS_MESSAGE,
    IMAGE,
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
API_TOKEN = "image-test-token"
ALLOWED_ORIGIN = "https://help.example.org"
# An organisation's own crisis-line file, mounted into the container: it renames the UK emergency line.
ORGANISATION_LINE_NAME = "Emergency services (Harbour Lane's list)"
LINES_FILE = f"""version: 1
mode: extend
lines:
  - id: gb-emergency
    country: GB
    name: "{ORGANISATION_LINE_NAME}"
    categories: [emergency]
    phone: "999"
    hours: 24/7
    source: https://www.police.uk/
    verified: 2026-11-23
"""
SENT_TEXTS = ["hello", CRISIS_MESSAGE, "what is a trauma bond"]
PODMAN_MOUNT_POINTS = {
    "/config",
    "/config/lines.yml",
    "/etc",
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
    "/run",
    "/tmp",
}


@dataclass
class Container:
    name: str
    url: str


@pytest.fixture(scope="module")
def container(tmp_path_factory) -> Iterator[Container]:
    lines = tmp_path_factory.mktemp("image") / "lines.yml"
    lines.write_text(LINES_FILE, encoding="utf-8")
    os.chmod(lines.parent, 0o755)
    port = free_port()
    name = f"untangle-image-test-{os.getpid()}"
    started = time.monotonic()
    # --health-interval disable: podman schedules health checks with systemd timers, which this machine lacks;
    # the test runs the check itself.
    podman(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "host",
        "--health-interval",
        "disable",
        "--read-only",
        "--read-only-tmpfs=false",
        "--tmpfs",
        "/tmp:rw,size=64m,mode=1777",
        "--cap-drop",
        "all",
        "--security-opt",
        "no-new-privileges",
        "-e",
        f"UNTANGLE_PORT={port}",
        "-e",
        f"UNTANGLE_API_TOKEN={API_TOKEN}",
        "-e",
        f"UNTANGLE_ALLOWED_ORIGINS={ALLOWED_ORIGIN}",
        "-e",
        "UNTANGLE_CRISIS_LINES=/config/lines.yml",
        "-v",
        f"{lines}:/config/lines.yml:ro",
        IMAGE,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        record_figure("seconds_from_run_to_first_reply", round(wait_for_first_reply(url, [name], started), 1))
        size = int(podman("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout.strip())
        record_figure("image_megabytes", round(size / 1e6))
        yield Container(name, url)
    finally:
        podman("rm", "-f", "-t", "5", name, check=False)


def test_it_runs_as_a_non_root_user_on_a_read_only_root(container):
    assert podman("exec", container.name, "id", "-u").stdout.strip() not in ("", "0")
    assert podman("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", container.name).stdout.strip() == "true"
    assert podman("exec", container.name, "touch", "/app/written", check=False).returncode != 0


def test_health_check_passes(container):
    assert podman("healthcheck", "run", container.name, check=False).returncode == 0


def test_a_crisis_message_gets_the_organisation_s_crisis_lines(container):
    messages = send(container.url, "image-crisis", CRISIS_MESSAGE, metadata={"country": "GB"})
    referrals = crisis_payloads(messages)
    assert referrals, f"no crisis_referral payload in {messages}"
    assert referrals[0]["country"] == "GB"
    assert ORGANISATION_LINE_NAME in [line["name"] for line in referrals[0]["lines"]]


def test_a_question_gets_an_answer(container):
    messages = send(container.url, "image-question", "what is a trauma bond")
    assert any(message.get("text") for message in messages), messages


def test_the_http_api_needs_the_token(container):
    tracker = f"{container.url}/conversations/image-question/tracker"
    assert request(tracker)[0] == 401
    assert request(f"{tracker}?token=wrong")[0] == 401
    assert request(f"{tracker}?token={API_TOKEN}")[0] == 200


def test_cors_answers_only_the_configured_origin(container):
    def preflight(origin: str) -> dict:
        return request(
            f"{container.url}/webhooks/rest/webhook",
            "OPTIONS",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )[1]

    assert preflight(ALLOWED_ORIGIN).get("access-control-allow-origin") == ALLOWED_ORIGIN
    assert "access-control-allow-origin" not in preflight("https://elsewhere.example")


def test_no_message_text_in_its_logs(container):
    send(container.url, "image-logs", CRISIS_MESSAGE, metadata={"country": "GB"})
    output = logs(container.name)
    assert "Untangle: REST channel" in output  # the logs are there, and they are the server's
    for text in SENT_TEXTS:
        assert text not in output.lower(), f"{text!r} is in the container's log"


def test_no_conversation_is_written_anywhere(container):
    send(container.url, "image-disk", CRISIS_MESSAGE, metadata={"country": "GB"})
    # Nothing on the image's filesystem but the mount points podman itself makes (the lines file, /etc/hosts, ...).
    changed = {line.split()[1] for line in podman("diff", container.name).stdout.splitlines()}
    assert changed <= PODMAN_MOUNT_POINTS, changed - PODMAN_MOUNT_POINTS
    # Not even in its tmpfs.
    found = podman("exec", container.name, "grep", "-rIl", CRISIS_MESSAGE, "/tmp", check=False)
    assert found.returncode == 1 and found.stdout == "", found.stdout
    mounts = json.loads(podman("inspect", "--format", "{{json .Mounts}}", container.name).stdout)
    assert [mount["Destination"] for mount in mounts] == ["/config/lines.yml"]
