"""A cap on the messages one conversation can have waiting at once, so a flood from one sender is refused early.

Rasa handles one message per conversation at a time and lets the others wait for its lock (polling each second,
giving up after a minute); without a cap, hundreds of requests from one sender would sit in memory for minutes.
"""

from __future__ import annotations

import contextlib
from typing import Dict, Iterator

from untangle_server.channels.input_checks import InputError

MAX_PENDING_PER_SENDER = 10


class PendingMessages:
    """Counts each sender's messages being handled; `admit` refuses one more than `limit` with a 429."""

    def __init__(self, limit: int = MAX_PENDING_PER_SENDER) -> None:
        self.limit = limit
        self._pending: Dict[str, int] = {}

    @contextlib.contextmanager
    def admit(self, sender: str) -> Iterator[None]:
        if self._pending.get(sender, 0) >= self.limit:
            raise InputError(
                429,
                "too_many_messages",
                "This conversation already has messages waiting for an "
                "answer. Please wait for them before sending more.",
            )
        self._pending[sender] = self._pending.get(sender, 0) + 1
        try:
            yield
        finally:
            self._pending[sender] -= 1
            if not self._pending[sender]:
                del self._pending[sender]

    def __len__(self) -> int:
        return len(self._pending)
