"""Replay a conversation into dialogue states once per message, not once per policy question.

Rasa 3.6's `Domain.states_for_tracker_history` replays every event of the conversation into a fresh tracker each
time a policy asks for the states: RulePolicy asks twice and MemoizationPolicy once for each prediction, and a
message has 2 to 4 predictions. Here a tracker keeps its replay (one per set of arguments), and a later question
about the same tracker replays only the events added since, as long as the events already replayed are still the
start of the conversation's applied events (events are appended while Rasa handles a message; a restart, a rewind
or another tracker object starts a new replay). The loop below is Rasa's own, made resumable.

The tracker's applied events (the events minus those taken back) are worked out once too, and then only extended
while events are merely appended; an event that takes events back, restarts, or names a loop means Rasa's own
`applied_events()` again. Both live as long as their tracker object: one message, or, when the in-memory store hands
the same tracker back for the next message (untangle_server/tracker_store.py), until the store lets it go; so
nothing of the conversation is kept beyond what Rasa and the store keep.

Callers get their own copy of every state, because Rasa's featurizer edits the last state it is handed.
"""

from __future__ import annotations

import itertools
import operator
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Dict, Hashable, List, Optional, Text

import rasa.shared.core.constants as core_constants
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

_rasa_states_for_tracker_history = Domain.states_for_tracker_history
# Events after which a tracker's applied events may not be its earlier applied events and the new ones: they take
# events back or start again, or (a loop) change how the loop's earlier actions count.
NOT_SIMPLY_APPENDED = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop)


@dataclass
class AppliedEvents:
    """`tracker.applied_events()` when the tracker's event deque `raw` had `count` events, the last one `last`."""

    raw: deque
    count: int
    last: Optional[Event]
    applied: List[Event]
    has_loop: bool  # whether the events name a loop: Rasa then treats the loop's actions specially

    @classmethod
    def of(cls, tracker: DialogueStateTracker) -> AppliedEvents:
        raw = tracker.events
        return cls(
            raw,
            len(raw),
            raw[-1] if raw else None,
            tracker.applied_events(),
            any(isinstance(event, ActiveLoop) and event.name for event in raw),
        )

    def extended(self, tracker: DialogueStateTracker) -> bool:
        """Brought up to date for the tracker's events now, if they were only appended to and need no rewinding."""
        raw = tracker.events
        if (
            self.has_loop
            or raw is not self.raw
            or len(raw) < self.count
            or (self.count and raw[self.count - 1] is not self.last)
        ):
            return False
        new_events = list(itertools.islice(raw, self.count, None))
        if any(isinstance(event, NOT_SIMPLY_APPENDED) for event in new_events):
            return False
        self.applied.extend(new_events)
        self.count, self.last = len(raw), raw[-1] if raw else None
        return True


@dataclass
class Kept:
    """What one tracker object keeps: its applied events, and a replay per set of arguments."""

    applied_events: Optional[AppliedEvents] = None
    replays: Dict[Hashable, Replay] = field(default_factory=dict)


# id(tracker) -> what it keeps; an entry goes when its tracker is garbage collected.
_kept: Dict[int, Kept] = {}


def _kept_for(tracker: DialogueStateTracker) -> Kept:
    key = id(tracker)
    if key not in _kept:
        _kept[key] = Kept()
        weakref.finalize(tracker, _kept.pop, key, None)
    return _kept[key]


def applied_events(tracker: DialogueStateTracker, kept: Kept) -> List[Event]:
    """Rasa's `tracker.applied_events()`: worked out again only after a rewind, a restart or a loop."""
    if kept.applied_events is None or not kept.applied_events.extended(tracker):
        kept.applied_events = AppliedEvents.of(tracker)
    return kept.applied_events.applied


@dataclass
class Replay:
    """Rasa's loop over `generate_all_prior_trackers`, stopped after the events in `events`."""

    domain: Domain
    tracker: DialogueStateTracker  # the conversation replayed up to the end of `events`
    events: List[Event] = field(default_factory=list)
    states: List[State] = field(default_factory=list)  # one per ActionExecuted in `events`, hidden turns left out
    last_ml_action_sub_state: Optional[SubState] = None
    turn_was_hidden: bool = False

    def continues(self, domain: Domain, applied_events: List[Event]) -> bool:
        """Whether the events replayed so far are still the start of `applied_events`."""
        replayed = len(self.events)
        return (
            self.domain is domain
            and len(applied_events) >= replayed
            and all(map(operator.is_, applied_events[:replayed], self.events))
        )


def _add_state(
    replay: Replay,
    prior: DialogueStateTracker,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: Optional[Dict[Text, Any]],
) -> None:
    """The body of Rasa's loop for one prior tracker, kept in `replay`."""
    domain = replay.domain
    if ignore_rule_only_turns:
        # remember the previous ML action from the last turn that was not hidden
        if not replay.turn_was_hidden:
            replay.last_ml_action_sub_state = domain._get_prev_action_sub_state(prior)
        # a follow-up action or a loop's happy path does not change whether the turn is hidden
        if not prior.followup_action and not prior.latest_action_name == prior.active_loop_name:
            replay.turn_was_hidden = hide_rule_turn
        if replay.turn_was_hidden:
            return

    state = domain.get_active_state(prior, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if replay.states:
            domain._substitute_rule_only_user_input(state, replay.states[-1])
        if replay.last_ml_action_sub_state:
            state[core_constants.PREVIOUS_ACTION] = replay.last_ml_action_sub_state
    replay.states.append(domain._clean_state(state))


def _copy_state(state: State) -> State:
    # A state's sub-states hold only strings and tuples, so two levels are a full copy.
    return {name: dict(sub_state) for name, sub_state in state.items()}


def _arguments_key(
    omit_unset_slots: bool, ignore_rule_only_turns: bool, rule_only_data: Optional[Dict[Text, Any]]
) -> Hashable:
    rule_only = tuple(sorted((name, tuple(values)) for name, values in (rule_only_data or {}).items()))
    return omit_unset_slots, ignore_rule_only_turns, rule_only


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Optional[Dict[Text, Any]] = None,
) -> List[State]:
    """The same states as Rasa's `Domain.states_for_tracker_history`, replaying only events it has not seen."""
    arguments = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    kept = _kept_for(tracker)
    applied = applied_events(tracker, kept)
    key = _arguments_key(*arguments)
    replay = kept.replays.get(key)
    if replay is None or not replay.continues(self, applied):
        replay = kept.replays[key] = Replay(self, tracker.init_copy())

    for event in applied[len(replay.events) :]:
        if isinstance(event, ActionExecuted):
            _add_state(replay, replay.tracker, event.hide_rule_turn, *arguments)
        replay.tracker.update(event)
        replay.events.append(event)

    # The state after the last event is worked out on a copy: the next event changes it, so it is not kept.
    current = Replay(
        self,
        replay.tracker,
        states=list(replay.states),
        last_ml_action_sub_state=replay.last_ml_action_sub_state,
        turn_was_hidden=replay.turn_was_hidden,
    )
    _add_state(current, replay.tracker, False, *arguments)
    return [_copy_state(state) for state in current.states]


def install() -> None:
    Domain.states_for_tracker_history = states_for_tracker_history
