"""What the end-to-end tests read in the bot's messages: texts, button payloads, crisis cards, the domain's replies."""

from typing import List

import yaml

from tests.replies import DOMAIN_FILE

RESPONSES = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]


def reply_text(name: str, **values) -> str:
    """The first variation of a domain response, with its slots filled in."""
    return RESPONSES[name][0]["text"].format(**values)


def texts(messages: List[dict]) -> List[str]:
    return [message.get("text") for message in messages]


def payloads(messages: List[dict]) -> List[str]:
    return [button["payload"] for message in messages for button in message.get("buttons", [])]


def cards(messages: List[dict]) -> List[dict]:
    """The crisis-line cards (`crisis_referral` payloads) among the messages."""
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "crisis_referral"]
