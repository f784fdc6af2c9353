"""Event classes looked up once: the same classes as Rasa's own lookup, the same error for unknown names."""

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_server.rasa_patches import event_types


@pytest.fixture
def cached_lookup(monkeypatch):
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(event_types._rasa_resolve_by_type))
    event_types.install()


def test_every_event_name_resolves_to_rasas_own_class(cached_lookup):
    names = ["user", "bot", "action", "slot", "restart", "session_started", "followup", "active_loop"]
    for name in names:
        assert Event.resolve_by_type(name) is event_types._rasa_resolve_by_type(name)
        assert Event.resolve_by_type(name) is Event.resolve_by_type(name)
    assert Event.resolve_by_type.cache_info().hits >= len(names)  # the walk over subclasses ran once per name


def test_an_unknown_event_name_still_fails_clearly(cached_lookup):
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_a_stored_conversation_reads_back_unchanged(cached_lookup):
    domain = Domain.from_yaml("slots:\n  guide_step:\n    type: text\n    mappings: [{type: custom}]\n")
    store = InMemoryTrackerStore(domain)
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hello", {"name": "greet", "confidence": 1.0}),
        SlotSet("guide_step", "what_is"),
        ActionExecuted("utter_intro"),
    ]
    tracker = DialogueStateTracker.from_events("person", events, domain.slots)
    read_back = store.deserialise_tracker("person", store.serialise_tracker(tracker))
    assert list(read_back.events) == events
    assert read_back.get_slot("guide_step") == "what_is"
