"""The expiring tracker store forgets conversations: after the idle time, on restart, and when full.

Real Rasa trackers, domain and events; a fake clock and a fake timer instead of sleeping.
"""

from __future__ import annotations

from typing import Callable, List, Tuple

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config

from tests.support.trackers import DOMAIN, EXPIRY_S, ROOT, conversation, restarted
from untangle_server import log_privacy
from untangle_server.tracker_store import ExpiringInMemoryTrackerStore, was_restarted


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeTimers:
    """Records what the store asks to be woken for, so a test can fire the timers itself."""

    def __init__(self) -> None:
        self.pending: List[Tuple[float, Callable[[], None]]] = []

    def __call__(self, delay: float, callback: Callable[[], None]) -> None:
        self.pending.append((delay, callback))

    def fire_all(self) -> None:
        pending, self.pending = self.pending, []
        for _, callback in pending:
            callback()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timers() -> FakeTimers:
    return FakeTimers()


@pytest.fixture
def store(clock, timers) -> ExpiringInMemoryTrackerStore:
    return ExpiringInMemoryTrackerStore(
        DOMAIN,
        idle_expiry_seconds=EXPIRY_S,
        max_conversations=3,
        withhold_message_text_in_logs=False,
        clock=clock,
        schedule=timers,
    )


async def user_texts(store: TrackerStore, sender_id: str) -> List[str]:
    tracker = await store.retrieve(sender_id)
    return [] if tracker is None else [e.text for e in tracker.events if isinstance(e, UserUttered)]


async def test_a_conversation_is_kept_while_the_person_keeps_writing(store, clock):
    for minute in range(5):
        await store.save(conversation("alice", *["still here"] * (minute + 1)))
        clock.advance(EXPIRY_S - 1)
    assert await user_texts(store, "alice") == ["still here"] * 5


async def test_an_idle_conversation_is_gone_after_the_expiry(store, clock):
    await store.save(conversation("alice", "he reads my phone"))
    clock.advance(EXPIRY_S - 1)
    assert await user_texts(store, "alice") == ["he reads my phone"]
    clock.advance(1)
    assert await store.retrieve("alice") is None
    assert await store.retrieve_full_tracker("alice") is None
    assert "alice" not in await store.keys()


async def test_reading_a_conversation_does_not_keep_it_alive(store, clock):
    await store.save(conversation("alice", "he reads my phone"))
    clock.advance(EXPIRY_S / 2)
    assert await store.retrieve("alice") is not None
    clock.advance(EXPIRY_S / 2)
    assert await store.retrieve("alice") is None


async def test_an_expired_conversation_is_removed_by_another_persons_request(store, clock):
    await store.save(conversation("alice", "he reads my phone"))
    clock.advance(EXPIRY_S)
    await store.save(conversation("bob", "hello"))
    assert list(store.store) == ["bob"]


async def test_an_expired_conversation_is_removed_when_nobody_writes_at_all(store, clock, timers):
    await store.save(conversation("alice", "he reads my phone"))
    assert [delay for delay, _ in timers.pending] == [EXPIRY_S]
    clock.advance(EXPIRY_S)
    timers.fire_all()
    assert store.store == {}
    assert timers.pending == []


async def test_only_one_timer_is_pending_however_many_conversations(store, clock, timers):
    for sender_id in ("alice", "bob", "carol"):
        await store.save(conversation(sender_id, "hi"))
        clock.advance(10)
    assert len(timers.pending) == 1
    clock.advance(EXPIRY_S - 25)  # 55 s after alice's last save, 45 s after bob's
    timers.fire_all()
    assert list(store.store) == ["bob", "carol"]
    assert [delay for delay, _ in timers.pending] == [5]  # the timer now waits for bob


async def test_quick_exit_forgets_the_conversation_at_once(store):
    await store.save(conversation("alice", "he hit me yesterday"))
    await store.save(restarted(conversation("alice", "he hit me yesterday")))
    assert await store.retrieve("alice") is None
    assert "alice" not in await store.keys()


async def test_a_message_after_a_restart_is_kept_again():
    tracker = restarted(conversation("alice", "hi"))
    tracker.update(UserUttered("hello again", {"name": "greet", "confidence": 1.0}))
    assert not was_restarted(tracker)
    assert was_restarted(restarted(conversation("alice", "hi")))


async def test_when_full_the_longest_idle_conversation_is_dropped_first(store, clock):
    for sender_id in ("alice", "bob", "carol"):
        await store.save(conversation(sender_id, "hi"))
        clock.advance(1)
    await store.save(conversation("alice", "hi", "still here"))  # alice is now the most recent
    await store.save(conversation("dave", "hi"))
    assert sorted(await store.keys()) == ["alice", "carol", "dave"]
    assert await user_texts(store, "alice") == ["hi", "still here"]


async def test_slots_survive_a_round_trip_through_the_store(store):
    tracker = conversation("alice", "hi")
    tracker.update(SlotSet("guide_step", "stages"))
    await store.save(tracker)
    assert (await store.retrieve("alice")).get_slot("guide_step") == "stages"


@pytest.fixture
def restore_logging():
    yield
    log_privacy.uninstall()


def test_endpoints_yml_configures_this_store_and_keeps_text_out_of_the_log(restore_logging):
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    created = TrackerStore.create(endpoint, DOMAIN)
    assert isinstance(created, ExpiringInMemoryTrackerStore)
    assert 0 < created.idle_expiry_seconds <= 3600
    assert created.max_conversations > 0
    assert log_privacy.is_installed()


@pytest.mark.parametrize("settings", [{"idle_expiry_seconds": 0}, {"max_conversations": 0}])
def test_a_store_that_would_never_forget_is_refused(settings):
    with pytest.raises(ValueError):
        ExpiringInMemoryTrackerStore(DOMAIN, withhold_message_text_in_logs=False, **settings)
