"""A tracker copied by its state is the tracker Rasa's replay makes, and changing either leaves the other alone."""
import json
import random

import pytest
from rasa.shared.core.events import (ActionExecuted, ActionExecutionRejected, ActiveLoop, BotUttered,
                                     ConversationPaused, FollowupAction, LoopInterrupted, Restarted, SlotSet,
                                     UserUtteranceReverted, UserUttered)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from untangle_server.rasa_patches import tracker_copy
from untangle_server.rasa_patches.test_dialogue_states import SMALL_DOMAIN, listen, project_conversations, user  # noqa: F401

STATE_ATTRIBUTES = ["sender_id", "sender_source", "is_rule_tracker", "_paused", "followup_action", "latest_action",
                    "model_id", "assistant_id", "_max_event_history"]


def snapshot(tracker: DialogueStateTracker) -> dict:
    """Everything a copy has to agree on, as plain data."""
    return {
        "state": json.dumps(tracker.current_state(EventVerbosity.ALL), sort_keys=True, default=str),
        "attributes": {name: getattr(tracker, name) for name in STATE_ATTRIBUTES},
        "slots": {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
        "active_loop": repr(tracker.active_loop),
        # (the empty messages a replay makes after a restart differ only in when they were made)
        "latest_message": {k: v for k, v in tracker.latest_message.as_dict().items() if k != "timestamp"},
        "latest_bot_utterance": {k: v for k, v in tracker.latest_bot_utterance.as_dict().items() if k != "timestamp"},
        "keys": sorted(tracker.__dict__),
    }


def assert_copy_is_rasas(tracker: DialogueStateTracker) -> None:
    ours, rasas = tracker_copy.tracker_copy(tracker), tracker_copy._rasa_copy(tracker)
    assert snapshot(ours) == snapshot(rasas)
    assert list(ours.events) == list(rasas.events) and all(map(lambda a, b: a is b, ours.events, rasas.events))
    if any(event is tracker.latest_message for event in tracker.events):  # not the empty one a replay makes anew
        assert ours.latest_message is rasas.latest_message  # both share the conversation's own message object


def loop_conversation() -> DialogueStateTracker:
    tracker = DialogueStateTracker("person", SMALL_DOMAIN.slots)
    for event in [listen(), user("inform", topic="coping"), ActionExecuted("quiz_form"), ActiveLoop("quiz_form"),
                  SlotSet("topic", "coping"), BotUttered("which one?"), ActionExecuted("action_listen"),
                  user("stop"), ActionExecutionRejected("quiz_form"), LoopInterrupted(True),
                  ActionExecuted("utter_ok"), BotUttered("ok"), FollowupAction("utter_hi")]:
        tracker.update(event)
    tracker.model_id, tracker.assistant_id, tracker.sender_source = "model", "assistant", "source"
    return tracker


def test_the_projects_conversations_copy_as_rasa_replays_them(project_conversations):  # noqa: F811
    domain, conversations = project_conversations
    copied_by_state = compared = 0
    for events in conversations:
        tracker = DialogueStateTracker("person", domain.slots)
        for event in events:
            tracker.update(event)
            assert_copy_is_rasas(tracker)
            copied_by_state, compared = copied_by_state + tracker_copy.copies_by_state(tracker), compared + 1
    assert compared > 400 and copied_by_state == compared


def test_slots_loops_rejections_and_follow_ups_copy_as_rasa_replays_them():
    tracker = loop_conversation()
    assert tracker_copy.copies_by_state(tracker)
    assert_copy_is_rasas(tracker)


@pytest.mark.parametrize("rewind", [UserUtteranceReverted(), Restarted(), ConversationPaused()],
                         ids=lambda event: type(event).__name__)
def test_after_a_rewind_restart_or_pause_the_copy_is_rasas(rewind):
    tracker = loop_conversation()
    tracker.update(rewind)
    assert_copy_is_rasas(tracker)


def test_changing_the_copy_leaves_the_conversation_alone_and_back():
    tracker = loop_conversation()
    before = snapshot(tracker)
    clone = tracker_copy.tracker_copy(tracker)
    for event in [SlotSet("topic", "stages"), SlotSet("flag", True), LoopInterrupted(True), ActionExecutionRejected("quiz_form"),
                  ActiveLoop(None),
                  ActionExecuted("utter_hi"), user("greet"), BotUttered("hi")]:
        clone.update(event)
    assert snapshot(tracker) == before
    tracker.update(SlotSet("flag", False))
    assert clone.get_slot("flag") is True


def test_trackers_it_cannot_be_sure_of_are_replayed():
    limited = DialogueStateTracker("person", SMALL_DOMAIN.slots, max_event_history=3)
    for event in loop_conversation().events:
        limited.update(event)
    extra = loop_conversation()
    extra.something_new = 1
    for tracker in (limited, extra):
        assert not tracker_copy.copies_by_state(tracker)
    assert_copy_is_rasas(limited)


def test_install_replaces_rasas_copy(monkeypatch):
    monkeypatch.setattr(DialogueStateTracker, "copy", tracker_copy._rasa_copy)
    tracker_copy.install()
    assert DialogueStateTracker.copy is tracker_copy.tracker_copy
