"""Copy a conversation's tracker by its state, instead of replaying all its events into a new one.

Rasa 3.6 runs every action on a copy of the conversation (`DialogueStateTracker.copy`, 2-4 times a message), and
makes the copy by replaying every event of the conversation into a new tracker: about 6 % of a message's time
here, growing with the conversation. A replay reaches the tracker's current state, so the copy here takes that
state directly: the same event objects (a replay applies the same objects too), its own copy of each slot and of
the active loop (events change those in place), the rest shared (the messages are the conversation's own event
objects, as in a replay; events replace the other values rather than change them), and what `init_copy` leaves
out (model and assistant ids, sender source) left out.

The copy is made this way only where it is sure to equal the replay: a plain `DialogueStateTracker` with no
event limit (a limit makes the replay start mid-conversation) and exactly the attributes Rasa 3.6.21 gives it.
Anything else gets Rasa's replay.
"""
from __future__ import annotations

import copy

from rasa.shared.core.trackers import DialogueStateTracker

_rasa_copy = DialogueStateTracker.copy
# A tracker's attributes in Rasa 3.6.21: a tracker with others (a later Rasa, a subclass) is replayed.
ATTRIBUTES = frozenset({
    "_max_event_history", "events", "sender_id", "slots", "sender_source", "is_rule_tracker", "_paused",
    "followup_action", "latest_action", "latest_message", "latest_bot_utterance", "active_loop", "model_id",
    "assistant_id",
})


def copies_by_state(tracker: DialogueStateTracker) -> bool:
    """Whether a copy of the tracker's state is sure to be what Rasa's replay makes."""
    return (type(tracker) is DialogueStateTracker and tracker._max_event_history is None
            and tracker.__dict__.keys() == ATTRIBUTES and type(tracker.slots) is dict)


def tracker_copy(self: DialogueStateTracker) -> DialogueStateTracker:
    """The same tracker as Rasa's `copy()`: its state taken over where that is sure to be the same, else replayed."""
    if not copies_by_state(self):
        return _rasa_copy(self)
    clone = DialogueStateTracker.__new__(DialogueStateTracker)
    clone.__dict__.update(self.__dict__)
    clone.events = clone._create_events(list(self.events))
    clone.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    clone.active_loop = copy.copy(self.active_loop)
    clone.sender_source = clone.model_id = clone.assistant_id = None  # as `init_copy` leaves them
    return clone


def install() -> None:
    DialogueStateTracker.copy = tracker_copy
