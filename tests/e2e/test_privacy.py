"""Privacy by default, end to end (docs/privacy.md): conversations are forgotten after the idle expiry and on
quick exit, and no message text reaches the server's log at the default log level.

One Rasa server for the module, its actions inside it as `make run` has them: the project's endpoints.yml with a
4-second idle expiry,
the HTTP API on (with a token) to look into the store, LOG_LEVEL pinned to Rasa's default, INFO.
"""

from __future__ import annotations

import json
import secrets
import socket
import time
import urllib.request
import uuid
from dataclasses import dataclass
from typing import List

import pytest
import yaml

from actions.guide.path import load_path
from tests.e2e.servers import (
    IN_PROCESS,
    MODEL,
    ROOT,
    free_port,
    log_path,
    rasa_server_command,
    running,
    send,
    write_endpoints,
)
from tests.replies import DOMAIN_FILE
from tests.support.actions import step_text

IDLE_EXPIRY_S = 4.0
DEFAULT_LOG_LEVEL = {"LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
RASA_LOG = "privacy-rasa-server"
RESPONSES = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]


@dataclass
class Assistant:
    url: str
    token: str

    def chat(self, sender: str, text: str) -> List[str]:
        return [message.get("text") for message in send(self.url, sender, text)]

    def user_messages_kept(self, sender: str) -> List[str]:
        """What the server still holds of the person's messages, in every session (Rasa's HTTP API)."""
        url = f"{self.url}/conversations/{sender}/tracker?include_events=ALL&token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            events = json.loads(response.read())["events"]
        return [event["text"] for event in events if event["event"] == "user"]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first", pytrace=False)
    project_store = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["tracker_store"]
    rasa_port, token = free_port(), secrets.token_hex(16)
    endpoints = write_endpoints(
        tmp_path_factory.mktemp("privacy") / "endpoints.yml",
        IN_PROCESS,
        tracker_store={**project_store, "idle_expiry_seconds": IDLE_EXPIRY_S},
    )
    rasa_command = rasa_server_command(rasa_port, endpoints, "--enable-api", "--auth-token", token)
    with running(rasa_command, f"http://127.0.0.1:{rasa_port}/", RASA_LOG, env=DEFAULT_LOG_LEVEL):
        yield Assistant(f"http://127.0.0.1:{rasa_port}", token)


def new_sender() -> str:
    return f"privacy-{uuid.uuid4()}"


def walk_to_stage_two(assistant: Assistant, sender: str) -> None:
    for text in ("/greet", "/affirm", '/go_to_step{"step": "stages"}', "/continue"):
        assistant.chat(sender, text)
    assert assistant.chat(sender, "next") == [step_text("stage_dependency")]


def test_after_the_idle_expiry_the_assistant_no_longer_knows_where_the_person_was(assistant):
    sender = new_sender()
    walk_to_stage_two(assistant, sender)
    assert assistant.user_messages_kept(sender)[-1] == "next"  # kept while the person is active

    time.sleep(IDLE_EXPIRY_S + 1.5)

    assert assistant.user_messages_kept(sender) == []
    first_step = load_path().steps[0].name
    # a new session: the first step, then the opening a first message gets (privacy notice, safe to chat?)
    assert assistant.chat(sender, "/continue")[0] == step_text(first_step), "should start over, not at stage 3"


@pytest.mark.parametrize("leaving", ["/restart", "start over"], ids=["quick exit", "start over"])
def test_quick_exit_and_start_over_forget_the_conversation_at_once(assistant, leaving):
    sender = new_sender()
    walk_to_stage_two(assistant, sender)
    assert "next" in assistant.user_messages_kept(sender)

    assistant.chat(sender, leaving)

    assert assistant.user_messages_kept(sender) == []


def leave_mid_reply(assistant: Assistant, sender: str, text: str) -> None:
    """Send a message and close the connection before the reply, as a page does when quick exit unloads it."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    host, port = assistant.url.rsplit("//", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: "
            + host.encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )


def test_no_message_text_reaches_the_log_at_the_default_level(assistant):
    kinds = ("feeling", "danger", "label", "gibberish", "slash", "left")
    marker = {kind: f"zq{uuid.uuid4().hex[:12]}" for kind in kinds}  # unique words, found nowhere else
    sender = new_sender()
    assistant.chat(sender, "/greet")
    assistant.chat(sender, f"i feel so stupid for staying with {marker['feeling']}")
    crisis = assistant.chat(sender, f"{marker['danger']} strangled me last night and he has a knife")
    assistant.chat(sender, f"is {marker['label']} a narcissist?")
    assistant.chat(sender, f"{marker['gibberish']} plorp")
    assistant.chat(sender, f"/{marker['slash']} he is here")  # read as an unknown "/intent" by Rasa
    leave_mid_reply(assistant, sender, f"he is coming home now {marker['left']}")
    time.sleep(1.0)
    assert assistant.chat(sender, "/restart") is not None  # the server is still up after the person left

    assert crisis[0] == RESPONSES["utter_crisis_essentials"][0]["text"]  # the messages were really handled
    logs = {name: log_path(name).read_text(encoding="utf-8", errors="replace") for name in (RASA_LOG,)}
    assert all(" INFO " in text for text in logs.values()), "the server's INFO lines should be in its log"
    assert "rasa_sdk.executor" in logs[RASA_LOG]  # the actions ran (and would have logged) in this process
    leaked = {(log, name) for log, text in logs.items() for name, word in marker.items() if word in text}
    assert leaked == set(), f"message text in the logs: {sorted(leaked)} (see {log_path(RASA_LOG).parent})"
