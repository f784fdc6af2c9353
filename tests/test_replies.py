"""Replies fit a chat bubble, the guided path is complete, and every button leads somewhere tested."""

from pathlib import Path

import pytest
import yaml

from actions.guide.path import load_path
from tests.replies import (
    ROOT,
    action_button_payloads,
    action_table_texts,
    domain,
    domain_button_payloads,
    payload_intent,
    response_texts,
)

MAX_WORDS = 70
STORIES_DIR = ROOT / "tests" / "stories"
RULES_DIR = ROOT / "data" / "rules"


def _intents_in(folder: Path, key: str):
    intents = set()
    for file in folder.glob("*.yml"):
        for item in yaml.safe_load(file.read_text(encoding="utf-8")).get(key, []):
            intents |= {step["intent"] for step in item.get("steps", []) if "intent" in step}
    return intents


@pytest.mark.parametrize("name, text", list(response_texts()) + list(action_table_texts()))
def test_reply_fits_a_chat_bubble(name, text):
    assert len(text.split()) <= MAX_WORDS, f"{name} has {len(text.split())} words"


def test_every_step_has_its_reply_and_example():
    missing = [step.name for step in load_path().steps if not (step.text.strip() and step.more.strip())]
    assert missing == []


def test_every_intent_in_the_steps_table_exists():
    intents = set(domain()["intents"])
    unknown = [(step.name, i) for step in load_path().steps for i in step.intents if i not in intents]
    assert unknown == []


def test_related_steps_name_real_steps_and_intents():
    path = load_path()
    intents = set(domain()["intents"])
    assert [intent for intent in path.related if intent not in intents] == []
    assert [step for step in path.related.values() if path.get(step) is None] == []


def test_every_button_leads_to_a_rule_and_a_test_story():
    ruled = _intents_in(RULES_DIR, "rules")
    tested = _intents_in(STORIES_DIR, "stories")
    for payload, senders in {**domain_button_payloads(), **action_button_payloads()}.items():
        intent = payload_intent(payload)
        assert intent in ruled, f"{payload} (from {senders[0]}) has no rule"
        assert intent in tested, f"{payload} (from {senders[0]}) is in no test story"


def test_topic_buttons_name_real_steps():
    path = load_path()
    for payload in {**domain_button_payloads(), **action_button_payloads()}:
        if payload.startswith("/go_to_step"):
            step = yaml.safe_load(payload[len("/go_to_step") :])["step"]
            assert path.get(step), f"{payload} names no step"
