"""A bounded, forgetting version of Rasa's in-memory tracker store (docs/privacy.md).

Rasa's default `InMemoryTrackerStore` keeps every conversation until the server stops. This one forgets a
conversation once it has been idle for `idle_expiry_seconds`, keeps at most `max_conversations` (the longest
idle is dropped first), and forgets a conversation at once when it is restarted (quick exit sends `/restart`,
"start over" runs `action_restart`).

Conversations are kept in an `OrderedDict` in order of last activity, so the expired ones are always at the
front: each save or retrieve drops them in O(1) per dropped conversation. That alone bounds memory (no
conversation can be added without a save, and every save purges first). So that an idle server does not hold
expired text either, one asyncio timer, never more, wakes the store when the oldest conversation expires; it
runs on Rasa's own event loop, so there is no thread and no lock.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any, Callable, Iterable, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_server import log_privacy

logger = logging.getLogger(__name__)

# 30 minutes: long enough to step away (hide the screen, see to a child) and come back to the same place,
# short enough that a chat left open on a shared device is not kept for hours. Shorter than the domain's
# 60-minute session expiry, so a "session" never outlives the store.
DEFAULT_IDLE_EXPIRY_SECONDS = 1800.0
# About 10 KB per stored conversation (measured: a 20-turn conversation is ~40 KB of JSON, most are shorter),
# so the cap keeps the store well under 100 MB even under a flood of new senders.
DEFAULT_MAX_CONVERSATIONS = 5000

Clock = Callable[[], float]
# Schedules a callback after a delay in seconds (the signature of `loop.call_later`).
Scheduler = Callable[[float, Callable[[], None]], Any]


def was_restarted(tracker: DialogueStateTracker) -> bool:
    """Whether the tracker was restarted after the person's last message (`/restart`, "start over")."""
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            return True
        if isinstance(event, UserUttered):
            return False
    return False


def _call_later_on_running_loop(delay: float, callback: Callable[[], None]) -> Any:
    return asyncio.get_running_loop().call_later(delay, callback)


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    """In-memory conversations that are forgotten after an idle time, on restart, or when the store is full."""

    def __init__(
        self,
        domain: Domain,
        event_broker: Optional[EventBroker] = None,
        idle_expiry_seconds: float = DEFAULT_IDLE_EXPIRY_SECONDS,
        max_conversations: int = DEFAULT_MAX_CONVERSATIONS,
        withhold_message_text_in_logs: bool = True,
        clock: Clock = time.monotonic,
        schedule: Scheduler = _call_later_on_running_loop,
        **kwargs: Any,
    ) -> None:
        """The first three come from endpoints.yml; `clock` and `schedule` from tests.

        `withhold_message_text_in_logs` installs log_privacy when Rasa creates the store (after it configured
        logging, before the first message), so any server using this store keeps message text out of its log.
        Rasa passes `host` (the endpoint's `url`) to custom tracker stores; it is accepted and ignored.
        """
        kwargs.pop("host", None)
        super().__init__(domain, event_broker, **kwargs)
        self.idle_expiry_seconds = float(idle_expiry_seconds)
        self.max_conversations = int(max_conversations)
        if self.idle_expiry_seconds <= 0 or self.max_conversations <= 0:
            raise ValueError("idle_expiry_seconds and max_conversations must be positive")
        self._clock = clock
        self._schedule = schedule
        # sender id -> serialised tracker (what the parent class reads), least recently active first
        self.store: "OrderedDict[Text, Text]" = OrderedDict()
        self._last_active: "OrderedDict[Text, float]" = OrderedDict()
        self._purge_timer_pending = False
        if withhold_message_text_in_logs:
            log_privacy.install()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the conversation as most recently active, or forgets it if it was just restarted."""
        self.purge_expired()
        sender_id = tracker.sender_id
        if was_restarted(tracker):
            self.forget(sender_id)
            return
        await super().save(tracker)
        self.store.move_to_end(sender_id)
        self._last_active[sender_id] = self._clock()
        self._last_active.move_to_end(sender_id)
        while len(self.store) > self.max_conversations:
            self.forget(next(iter(self._last_active)))
        self._ensure_purge_timer()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session; reading is no activity: only saves (the person's messages) keep it alive."""
        self.purge_expired()
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Every session of the conversation; reading is no activity either."""
        self.purge_expired()
        return await super().retrieve_full_tracker(sender_id)

    async def keys(self) -> Iterable[Text]:
        """Sender ids of the conversations still kept."""
        self.purge_expired()
        return list(self.store.keys())

    def forget(self, sender_id: Text) -> None:
        """Drops one conversation, if it is kept."""
        self.store.pop(sender_id, None)
        self._last_active.pop(sender_id, None)

    def purge_expired(self) -> int:
        """Drops every conversation idle for `idle_expiry_seconds` or longer; returns how many."""
        oldest_allowed = self._clock() - self.idle_expiry_seconds
        dropped = 0
        while self._last_active:
            sender_id, last_active = next(iter(self._last_active.items()))
            if last_active > oldest_allowed:
                break
            self.forget(sender_id)
            dropped += 1
        if dropped:
            logger.debug(f"Forgot {dropped} idle conversation(s).")
        return dropped

    def _ensure_purge_timer(self) -> None:
        """Makes sure one timer will wake the store when its oldest conversation expires."""
        if self._purge_timer_pending or not self._last_active:
            return
        oldest_last_active = next(iter(self._last_active.values()))
        delay = max(0.0, oldest_last_active + self.idle_expiry_seconds - self._clock())
        try:
            self._schedule(delay, self._on_purge_timer)
        except RuntimeError:  # no running event loop (a synchronous caller): purging on access still applies
            return
        self._purge_timer_pending = True

    def _on_purge_timer(self) -> None:
        self._purge_timer_pending = False
        self.purge_expired()
        self._ensure_purge_timer()

