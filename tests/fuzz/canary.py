"""A scripted canary conversation whose replies must not change while the fuzz runs."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import List, Tuple

from tests.e2e.servers import send

# Buttons, a typed question, a custom action and the crisis referral: most of what can be disturbed.
CANARY_SCRIPT = [
    "hello",
    "/affirm",
    '/go_to_step{"step": "stages"}',
    "/continue",
    "what is gaslighting?",
    "/resume",
    "i want to kill myself",
]


def visible(replies: List[dict]) -> List[Tuple]:
    """What the person sees of each reply (recipient_id left out)."""
    return [(r.get("text"), json.dumps(r.get("buttons")), json.dumps(r.get("custom"), sort_keys=True)) for r in replies]


class Canary:
    """A scripted conversation: its replies without any fuzz, then checked step by step while the fuzz runs."""

    def __init__(self, url: str) -> None:
        self.url, self.script = url, CANARY_SCRIPT
        self.expected = self._run_whole_script()
        self.sender, self.next_step = f"canary-{uuid.uuid4()}", 0

    def _run_whole_script(self) -> List[List[Tuple]]:
        sender = f"canary-{uuid.uuid4()}"
        return [visible(send(self.url, sender, text)) for text in CANARY_SCRIPT]

    def step(self) -> None:
        """The next message of the running canary conversation gets the same replies as without the fuzz."""
        if self.next_step == len(CANARY_SCRIPT):
            self.sender, self.next_step = f"canary-{uuid.uuid4()}", 0
        replies = visible(send(self.url, self.sender, CANARY_SCRIPT[self.next_step]))
        assert replies == self.expected[self.next_step], f"canary step {self.next_step} changed"
        self.next_step += 1

    def check_whole_script(self) -> None:
        assert self._run_whole_script() == self.expected

    def assert_healthy(self) -> None:
        with urllib.request.urlopen(self.url + "/", timeout=10) as answer:
            assert answer.status == 200
