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

Like Rasa's store, this one keeps each conversation as JSON and hands out a new tracker read back from it. Reading
back replays every event, on every message; so the tracker object saved last is also kept, for the
`live_conversations` most recently saved conversations, and handed out once by the next `retrieve` instead of a new
copy, if the stored JSON is still the one saved with it and the tracker has not changed since. It is then the
tracker Rasa would have read back (same events, same slots, one session), without reading it back; and the work
done on it during the last message (untangle_server/rasa_patches/dialogue_states.py) carries on. A second
`retrieve` before the next save, a changed tracker, a conversation of several sessions, or one saved before a new
model's domain was set gets Rasa's own copy. Forgetting a conversation (expiry, restart, a full store) forgets its
live tracker too.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_server import fast_json, log_privacy

logger = logging.getLogger(__name__)

# 30 minutes: long enough to step away (hide the screen, see to a child) and come back to the same place,
# short enough that a chat left open on a shared device is not kept for hours. Shorter than the domain's
# 60-minute session expiry, so a "session" never outlives the store.
DEFAULT_IDLE_EXPIRY_SECONDS = 1800.0
# About 10 KB per stored conversation (measured: a 20-turn conversation is ~40 KB of JSON, most are shorter),
# so the cap keeps the store well under 100 MB even under a flood of new senders.
DEFAULT_MAX_CONVERSATIONS = 5000
# Trackers kept as objects (a few hundred KB at most each): more than the conversations a small server answers at
# the same moment.
DEFAULT_LIVE_CONVERSATIONS = 200

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


def has_one_session(tracker: DialogueStateTracker) -> bool:
    """Whether Rasa's store would read the tracker back whole: no session start after its first event."""
    return not any(
        isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
        for index, event in enumerate(tracker.events)
        if index > 0
    )


@dataclass
class LiveTracker:
    """A saved tracker object, with what it looked like when saved."""

    tracker: DialogueStateTracker
    serialised: Text  # the JSON saved with it (the store's entry, the same string object)
    event_count: int
    last_event: Optional[Event]

    def unchanged(self, stored: Optional[Text]) -> bool:
        events = self.tracker.events
        return (
            stored is self.serialised
            and len(events) == self.event_count
            and (events[-1] if events else None) is self.last_event
        )


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
        live_conversations: int = DEFAULT_LIVE_CONVERSATIONS,
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
        self.live_conversations = int(live_conversations)
        if self.idle_expiry_seconds <= 0 or self.max_conversations <= 0:
            raise ValueError("idle_expiry_seconds and max_conversations must be positive")
        if self.live_conversations < 0:
            raise ValueError("live_conversations must not be negative")
        self._clock = clock
        self._schedule = schedule
        # sender id -> serialised tracker (what the parent class reads), least recently active first
        self.store: OrderedDict[Text, Text] = OrderedDict()
        self._last_active: OrderedDict[Text, float] = OrderedDict()
        self._live: OrderedDict[Text, LiveTracker] = OrderedDict()  # least recently saved first
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
        await self.stream_events(tracker)  # Rasa's `InMemoryTrackerStore.save`, with the faster JSON writer
        self.store[sender_id] = fast_json.dumps(tracker.as_dialogue().as_dict())
        self.store.move_to_end(sender_id)
        self._last_active[sender_id] = self._clock()
        self._last_active.move_to_end(sender_id)
        self._keep_live(tracker)
        while len(self.store) > self.max_conversations:
            self.forget(next(iter(self._last_active)))
        self._ensure_purge_timer()

    @property
    def domain(self) -> Domain:
        return InMemoryTrackerStore.domain.fget(self)

    @domain.setter
    def domain(self, domain: Optional[Domain]) -> None:
        """A new model's domain (Rasa sets it on loading one): saved tracker objects carry the old domain's slots,
        so from now on conversations are read back from JSON until saved again."""
        InMemoryTrackerStore.domain.fset(self, domain)
        getattr(self, "_live", {}).clear()

    def _keep_live(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        self._live.pop(sender_id, None)
        if self.live_conversations == 0 or not has_one_session(tracker):
            return
        events = tracker.events
        self._live[sender_id] = LiveTracker(tracker, self.store[sender_id], len(events), events[-1] if events else None)
        while len(self._live) > self.live_conversations:
            self._live.popitem(last=False)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session; reading is no activity: only saves (the person's messages) keep it alive."""
        self.purge_expired()
        live = self._live.pop(sender_id, None)  # handed out once: a second reader gets its own copy
        if live is not None and live.unchanged(self.store.get(sender_id)):
            return live.tracker
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
        self._live.pop(sender_id, None)

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
