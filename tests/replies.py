"""Everything the assistant can send: domain responses and the text and buttons written in actions."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_FILE = ROOT / "domain.yml"
ACTIONS_DIR = ROOT / "actions"


def domain() -> dict:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


def response_variations() -> Iterator[Tuple[str, dict]]:
    for name, variations in domain()["responses"].items():
        for variation in variations:
            yield name, variation


def response_texts() -> Iterator[Tuple[str, str]]:
    for name, variation in response_variations():
        if variation.get("text"):
            yield name, variation["text"]
        for button in variation.get("buttons", []):
            yield f"{name} (button)", button["title"]


def action_code_literals() -> Iterator[Tuple[str, str]]:
    """String constants in action code (button titles and any text written there)."""
    for source in sorted(ACTIONS_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value:
                yield str(source.relative_to(ROOT)), node.value


def action_table_texts() -> Iterator[Tuple[str, str]]:
    """Every string in the YAML tables beside the actions (step texts, referral texts, crisis lines)."""
    for table in sorted(ACTIONS_DIR.rglob("*.yml")):
        for text in _strings(yaml.safe_load(table.read_text(encoding="utf-8"))):
            if " " in text:
                yield str(table.relative_to(ROOT)), text


def everything_sendable() -> List[Tuple[str, str]]:
    return list(response_texts()) + list(action_code_literals()) + list(action_table_texts())


def _strings(node) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$")


def payload_intent(payload: str) -> str:
    match = PAYLOAD.match(payload)
    assert match, f"button payload {payload!r} is not of the form /intent or /intent{{...}}"
    return match.group("intent")


def payload_as_sent(domain_payload: str) -> str:
    """A domain button's payload as Rasa sends it: doubled braces keep Rasa from filling the entities as slots."""
    return domain_payload.replace("{{", "{").replace("}}", "}")


def domain_button_payloads() -> Dict[str, List[str]]:
    payloads: Dict[str, List[str]] = {}
    for name, variation in response_variations():
        for button in variation.get("buttons", []):
            payloads.setdefault(payload_as_sent(button["payload"]), []).append(name)
    return payloads


def action_button_payloads() -> Dict[str, List[str]]:
    """Payloads of the buttons actions send: the guide's standard buttons and those in the YAML tables."""
    from actions.guide import buttons

    payloads: Dict[str, List[str]] = {}
    for name, value in vars(buttons).items():
        if isinstance(value, dict) and "payload" in value:
            payloads.setdefault(value["payload"], []).append(f"actions/guide/buttons.py:{name}")
    for table in sorted(ACTIONS_DIR.rglob("*.yml")):
        for payload in _payloads(yaml.safe_load(table.read_text(encoding="utf-8"))):
            payloads.setdefault(payload, []).append(str(table.relative_to(ROOT)))
    return payloads


def _payloads(node) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("payload"), str):
            yield node["payload"]
        for value in node.values():
            yield from _payloads(value)
    elif isinstance(node, list):
        for value in node:
            yield from _payloads(value)
