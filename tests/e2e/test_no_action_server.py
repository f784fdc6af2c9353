"""With the action server down, a danger message still reaches the emergency numbers (docs/safety.md), and any
other reply that needed a custom action becomes a short, polite message that still names them.

Starts `rasa run` with the trained model on a free loopback port, its action endpoint pointing at a port nothing
listens on, and talks to it through the REST channel. The referral starts with a domain response, so it cannot
depend on custom actions.
"""

from __future__ import annotations

import uuid

import pytest
import yaml

from tests.e2e.servers import MODEL, free_port, rasa_server_command, running, send
from tests.replies import DOMAIN_FILE
from untangle_server.channels.replies import TROUBLE_REPLY

RESPONSES = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
EMERGENCY_NUMBERS = ("911", "999", "000", "111", "112")


def reply_text(name: str) -> str:
    """The response's unconditional variation (the one sent when no slot condition applies)."""
    return next(v["text"] for v in RESPONSES[name] if not v.get("condition"))


@pytest.fixture(scope="module")
def server_without_actions(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(
            f"no trained model at {MODEL}: run `make train` (the Makefile trains before the tests)", pytrace=False
        )
    endpoints = tmp_path_factory.mktemp("no-actions") / "endpoints.yml"
    # The action endpoint names a port nothing listens on: the action server is down.
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{free_port()}/webhook\n", encoding="utf-8")
    port = free_port()
    command = rasa_server_command(port, endpoints)
    with running(command, f"http://127.0.0.1:{port}/", "rasa-server-without-action-server"):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def chat(server_without_actions):
    sender = f"no-actions-{uuid.uuid4()}"
    return lambda text: [m.get("text") for m in send(server_without_actions, sender, text)]


def test_a_danger_message_still_gets_the_emergency_numbers(chat):
    texts = chat("he's outside my flat and he's got a knife")
    assert texts[0] == reply_text("utter_crisis_essentials")
    assert all(number in texts[0] for number in EMERGENCY_NUMBERS)
    assert "https://findahelpline.com" in texts[0]
    assert texts[-1] == reply_text("utter_ask_safe_now")
    assert TROUBLE_REPLY not in texts  # the referral's own messages arrived: no apology on top


def test_not_safe_gets_the_emergency_guidance(chat):
    chat("i want to kill myself")
    assert chat("/deny") == [reply_text("utter_emergency_guidance")]


def test_a_danger_message_in_the_middle_of_the_path_still_gets_them(chat):
    chat("/greet")
    chat("/affirm")
    chat('/go_to_step{"step": "stages"}')
    texts = chat("my boyfriend strangled me last night")
    assert texts[0] == reply_text("utter_crisis_essentials")


def test_i_need_help_now_gets_them_too(chat):
    assert chat("/help_now")[0] == reply_text("utter_crisis_essentials")


def test_a_reply_that_needs_the_action_server_becomes_a_polite_message(chat):
    chat("/greet")
    texts = chat('/go_to_step{"step": "stages"}')
    assert texts == [TROUBLE_REPLY]
    assert all(number in texts[0] for number in EMERGENCY_NUMBERS)


def test_a_reply_made_of_domain_responses_is_unchanged(chat):
    assert chat("hello")[0] == reply_text("utter_intro")


def test_ending_the_conversation_gets_no_apology(chat):
    chat("/greet")
    assert chat("/restart") == []
