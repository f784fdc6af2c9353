"""The store hands back the tracker it saved, once, only when it is what Rasa would read back; forgetting a
conversation forgets that tracker too; and a whole conversation goes exactly as with Rasa's own store."""

from __future__ import annotations

import gc
import json
import weakref

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig

from bench.conversations import UNTANGLE_CONVERSATIONS, UNTANGLE_CRISIS_MESSAGES
from tests.support.trackers import DOMAIN, EXPIRY_S, ROOT, conversation, restarted
from untangle_server.action_executor import InProcessActions
from untangle_server.rasa_patches import dialogue_states
from untangle_server.tracker_store import ExpiringInMemoryTrackerStore

TRAINED_MODEL = ROOT / "models" / "untangle.tar.gz"


def new_store(clock=None, **settings) -> ExpiringInMemoryTrackerStore:
    return ExpiringInMemoryTrackerStore(
        DOMAIN,
        idle_expiry_seconds=EXPIRY_S,
        withhold_message_text_in_logs=False,
        **({"clock": clock} if clock else {}),
        schedule=lambda *_: None,
        **settings,
    )


def as_rasa_reads_it(tracker: DialogueStateTracker) -> str:
    """What Rasa's own in-memory store hands out for the saved tracker, as JSON."""
    rasa_store = InMemoryTrackerStore(DOMAIN)
    rasa_store.store[tracker.sender_id] = InMemoryTrackerStore.serialise_tracker(tracker)
    return state_json(rasa_store.deserialise_tracker(tracker.sender_id, rasa_store.store[tracker.sender_id]))


def state_json(tracker: DialogueStateTracker) -> str:
    return json.dumps(tracker.current_state(EventVerbosity.ALL), sort_keys=True)


async def test_the_saved_tracker_is_handed_back_once_then_a_copy():
    store = new_store()
    tracker = conversation("alice", "he reads my phone")
    tracker.update(SlotSet("guide_step", "stages"))
    await store.save(tracker)
    first, second = await store.retrieve("alice"), await store.retrieve("alice")
    assert first is tracker and second is not tracker
    assert state_json(first) == state_json(second) == as_rasa_reads_it(tracker)
    assert first.applied_events() == second.applied_events() and first.get_slot("guide_step") == "stages"


async def test_a_tracker_changed_after_saving_is_not_handed_back():
    store = new_store()
    tracker = conversation("alice", "he reads my phone")
    await store.save(tracker)
    tracker.update(UserUttered("never saved", {"name": "greet", "confidence": 1.0}))
    retrieved = await store.retrieve("alice")
    assert retrieved is not tracker
    assert [e.text for e in retrieved.events if isinstance(e, UserUttered)] == ["he reads my phone"]


async def test_after_a_new_model_the_conversation_is_read_back_with_its_domain():
    store = new_store()
    tracker = conversation("alice", "hi")
    await store.save(tracker)
    store.domain = Domain.from_yaml(DOMAIN.as_yaml())  # what Rasa does when it loads a model
    retrieved = await store.retrieve("alice")
    assert retrieved is not tracker and state_json(retrieved) == state_json(tracker)


async def test_a_conversation_of_two_sessions_reads_back_as_rasa_reads_it():
    store = new_store()
    tracker = conversation("alice", "hi")
    for event in (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("back again", {"name": "greet", "confidence": 1.0}),
    ):
        tracker.update(event)
    await store.save(tracker)
    retrieved = await store.retrieve("alice")
    assert retrieved is not tracker  # Rasa hands out only the last session
    assert [e.text for e in retrieved.events if isinstance(e, UserUttered)] == ["back again"]


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


async def object_released_after(forget) -> bool:
    """Whether a saved tracker object is released once `await forget(store)` ran."""
    store = new_store(clock=Clock())
    tracker = conversation("alice", "he hit me yesterday")
    await store.save(tracker)
    released = weakref.ref(tracker)
    del tracker
    await forget(store)
    gc.collect()
    return released() is None and "alice" not in store.store


async def test_expiry_restart_and_a_full_store_forget_the_saved_tracker_object():
    async def expire(store):
        store._clock.now += EXPIRY_S
        store.purge_expired()

    async def restart(store):
        await store.save(restarted(conversation("alice", "he hit me yesterday")))

    async def crowd_out(store):
        store.max_conversations = 1
        await store.save(conversation("bob", "hi"))

    async def keep(store):
        return None

    assert not await object_released_after(keep)  # the store does hold it until then
    for forget in (expire, restart, crowd_out):
        assert await object_released_after(forget), forget.__name__


async def test_only_the_most_recently_saved_trackers_are_kept_as_objects():
    store = new_store(live_conversations=2)
    trackers = [conversation(name, "hi") for name in ("alice", "bob", "carol")]
    for tracker in trackers:
        await store.save(tracker)
    assert [await store.retrieve(t.sender_id) is t for t in trackers] == [False, True, True]
    assert await new_store(live_conversations=0).retrieve("alice") is None
    with pytest.raises(ValueError):
        new_store(live_conversations=-1)


async def play(store, states_function, monkeypatch) -> list:
    """The benchmark's conversations through a Rasa agent on the trained model with `store`; every reply."""
    monkeypatch.setattr(Domain, "states_for_tracker_history", states_function)
    actions = InProcessActions(EndpointConfig("http://127.0.0.1:9/webhook", enable_selective_domain=True), "actions")
    agent = Agent.load(str(TRAINED_MODEL), tracker_store=store, action_endpoint=actions)
    replies = []
    for index, texts in enumerate([*UNTANGLE_CONVERSATIONS, *([m] for m in UNTANGLE_CRISIS_MESSAGES)] * 2):
        sender = f"person-{index}"
        for text in texts:
            replies.append([(m.get("text"), m.get("custom")) for m in await agent.handle_text(text, sender_id=sender)])
    return replies


async def test_conversations_go_exactly_as_with_rasas_own_store(monkeypatch):
    if not TRAINED_MODEL.exists():
        pytest.fail(
            f"no trained model at {TRAINED_MODEL}: run `make train` (`make pytest` trains first)", pytrace=False
        )
    ours = await play(new_store(), dialogue_states.states_for_tracker_history, monkeypatch)
    rasas = await play(InMemoryTrackerStore(DOMAIN), dialogue_states._rasa_states_for_tracker_history, monkeypatch)
    assert ours == rasas and len(ours) > 40 and all(ours)
