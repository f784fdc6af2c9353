"""The resumable replay gives exactly Rasa's dialogue states, event by event, through rewinds and restarts."""

import gc
import random
from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME, USER
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_server.rasa_patches import dialogue_states
from untangle_server.rasa_patches.dialogue_states import states_for_tracker_history

PROJECT = Path(__file__).resolve().parents[2]
# The arguments Rasa's policies pass: RulePolicy (all turns), MemoizationPolicy (rule-only turns and features left
# out), and the training featurizer's unset-slot variant.
RULE_ONLY_DATA = {"slots": ["flag"], "loops": ["quiz_form"]}
ARGUMENTS = [
    dict(),
    dict(ignore_rule_only_turns=True, rule_only_data=RULE_ONLY_DATA),
    dict(ignore_rule_only_turns=True, rule_only_data=None),
    dict(omit_unset_slots=True),
]

SMALL_DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, inform, stop]
entities: [topic]
slots:
  flag:
    type: bool
    influence_conversation: true
    mappings: [{type: custom}]
  topic:
    type: categorical
    values: [stages, coping]
    influence_conversation: true
    mappings: [{type: from_entity, entity: topic}]
forms:
  quiz_form:
    required_slots: [topic]
responses:
  utter_hi: [{text: "hi"}]
  utter_ok: [{text: "ok"}]
""")


def rasas_states(domain: Domain, events: List[Event], **arguments) -> list:
    """Rasa's own answer, from a tracker that has never been asked before."""
    fresh = DialogueStateTracker.from_events("person", events, domain.slots)
    return dialogue_states._rasa_states_for_tracker_history(domain, fresh, **arguments)


def assert_same_states_after_each_event(domain: Domain, events: List[Event]) -> int:
    """Adds `events` one by one to one tracker, asking for its states after each; returns how many were compared."""
    tracker = DialogueStateTracker.from_events("person", [], domain.slots)
    compared = 0
    for count, event in enumerate(events, start=1):
        tracker.update(event)
        for arguments in ARGUMENTS:
            assert states_for_tracker_history(domain, tracker, **arguments) == rasas_states(
                domain, events[:count], **arguments
            ), (count, event, arguments)
            compared += 1
    return compared


def user(intent: str, **entities) -> UserUttered:
    return UserUttered(
        intent,
        {"name": intent, "confidence": 1.0},
        [{"entity": name, "value": value} for name, value in entities.items()],
    )


def listen() -> ActionExecuted:
    return ActionExecuted(ACTION_LISTEN_NAME)


def test_the_projects_conversations_get_rasas_states_after_every_event(project_conversations):
    domain, conversations = project_conversations
    compared = sum(assert_same_states_after_each_event(domain, events) for events in conversations)
    assert len(conversations) > 50 and compared == sum(map(len, conversations)) * len(ARGUMENTS) > 1_000


@pytest.mark.parametrize(
    "rewind",
    [UserUtteranceReverted(), ActionReverted(), Restarted(), SessionStarted()],
    ids=lambda event: type(event).__name__,
)
def test_a_rewind_or_restart_gets_rasas_states(rewind):
    events = [
        ActionExecuted("action_session_start"),
        listen(),
        user("greet"),
        ActionExecuted("utter_hi"),
        SlotSet("flag", True),
        listen(),
        user("inform", topic="stages"),
        SlotSet("topic", "stages"),
        ActionExecuted("utter_ok", hide_rule_turn=True),
        listen(),
        rewind,
        listen(),
        user("stop"),
        ActionExecuted("utter_ok"),
        listen(),
    ]
    assert assert_same_states_after_each_event(SMALL_DOMAIN, events) == len(events) * len(ARGUMENTS)


@pytest.mark.parametrize("rewind", [UserUtteranceReverted(), Restarted()], ids=lambda event: type(event).__name__)
def test_a_rewind_and_more_events_than_it_took_back_get_rasas_states(rewind):
    before = [listen(), user("greet"), ActionExecuted("utter_hi"), listen(), user("stop")]
    after = [
        rewind,
        listen(),
        user("inform", topic="coping"),
        SlotSet("topic", "coping"),
        ActionExecuted("utter_ok"),
        SlotSet("flag", True),
        ActionExecuted("utter_hi"),
        listen(),
    ]
    tracker = DialogueStateTracker.from_events("person", before, SMALL_DOMAIN.slots)
    for arguments in ARGUMENTS:
        states_for_tracker_history(SMALL_DOMAIN, tracker, **arguments)
    tracker.update_with_events(after, SMALL_DOMAIN)
    assert len(tracker.applied_events()) > len(before)  # longer than what was replayed, but not its continuation
    for arguments in ARGUMENTS:
        assert states_for_tracker_history(SMALL_DOMAIN, tracker, **arguments) == rasas_states(
            SMALL_DOMAIN, before + after, **arguments
        )


def test_slots_loops_hidden_turns_and_featurization_get_rasas_states():
    events = [
        listen(),
        user("greet"),
        DefinePrevUserUtteredFeaturization(False),
        ActionExecuted("utter_hi"),
        SlotSet("flag", True),
        listen(),
        user("inform", topic="coping"),
        DefinePrevUserUtteredFeaturization(True),
        ActionExecuted("quiz_form"),
        ActiveLoop("quiz_form"),
        SlotSet("topic", "coping"),
        ActionExecuted("quiz_form", hide_rule_turn=True),
        ActiveLoop(None),
        ActionExecuted("utter_ok", hide_rule_turn=True),
        listen(),
        user("stop"),
        ActionExecuted("utter_ok", hide_rule_turn=True),
        SlotSet("flag", False),
        listen(),
    ]
    assert assert_same_states_after_each_event(SMALL_DOMAIN, events) == len(events) * len(ARGUMENTS)


def test_editing_the_states_handed_out_does_not_change_the_next_answer():
    tracker = DialogueStateTracker.from_events(
        "person", [listen(), user("greet"), ActionExecuted("utter_hi"), listen(), user("stop")], SMALL_DOMAIN.slots
    )
    states = states_for_tracker_history(SMALL_DOMAIN, tracker)
    expected = [dict(state) for state in rasas_states(SMALL_DOMAIN, list(tracker.events))]
    for state in states:  # as Rasa's featurizer does to the last state, and more
        state.get(USER, {}).pop("intent", None)
        state.clear()
    assert states_for_tracker_history(SMALL_DOMAIN, tracker) == expected


def test_another_domain_gets_a_new_replay():
    events = [listen(), user("inform", topic="stages"), ActionExecuted("utter_ok"), listen()]
    tracker = DialogueStateTracker.from_events("person", events, SMALL_DOMAIN.slots)
    states_for_tracker_history(SMALL_DOMAIN, tracker)
    entities_ignored = Domain.from_yaml(
        SMALL_DOMAIN.as_yaml().replace("entities:\n- topic", "entities:\n- topic:\n    influence_conversation: false")
    )
    expected = dialogue_states._rasa_states_for_tracker_history(entities_ignored, tracker)
    assert expected != dialogue_states._rasa_states_for_tracker_history(SMALL_DOMAIN, tracker)
    assert states_for_tracker_history(entities_ignored, tracker) == expected


def test_a_replay_is_forgotten_with_its_tracker():
    tracker = DialogueStateTracker.from_events("person", [listen(), user("greet")], SMALL_DOMAIN.slots)
    states_for_tracker_history(SMALL_DOMAIN, tracker)
    key = id(tracker)
    assert key in dialogue_states._kept
    del tracker
    gc.collect()
    assert key not in dialogue_states._kept


def test_install_replaces_rasas_states(monkeypatch):
    monkeypatch.setattr(Domain, "states_for_tracker_history", dialogue_states._rasa_states_for_tracker_history)
    dialogue_states.install()
    assert Domain.states_for_tracker_history is states_for_tracker_history


def test_the_trained_model_predicts_the_same_on_random_conversations(load_trained_model, monkeypatch):
    """100 random conversations of the domain's intents: after each message both ways of working out the states
    lead the trained policies to the same actions, policies and probabilities until the bot listens again."""
    from rasa.engine.constants import PLACEHOLDER_TRACKER

    from untangle_server.rasa_patches.graph_runner import SequentialGraphRunner

    metadata, runner = load_trained_model(SequentialGraphRunner)
    domain = metadata.domain

    def predict(tracker, states_function):
        monkeypatch.setattr(Domain, "states_for_tracker_history", states_function)
        prediction = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[metadata.core_target])
        return prediction[metadata.core_target]

    rng, compared = random.Random(11), 0
    intents = [intent for intent in domain.intents if intent not in {"session_start"}]
    for _ in range(100):
        tracker = DialogueStateTracker.from_events("walk", [listen()], domain.slots)
        for _ in range(rng.randint(1, 8)):
            intent = rng.choice(intents)
            tracker.update(UserUttered(f"/{intent}", {"name": intent, "confidence": 1.0}))
            for _ in range(8):
                ours = predict(tracker, states_for_tracker_history)
                rasas = predict(tracker, dialogue_states._rasa_states_for_tracker_history)
                assert (ours.policy_name, ours.probabilities, ours.events) == (
                    rasas.policy_name,
                    rasas.probabilities,
                    rasas.events,
                ), list(tracker.events)
                compared += 1
                action = domain.action_names_or_texts[ours.max_confidence_index]
                tracker.update_with_events(ours.events, domain)
                tracker.update(
                    ActionExecuted(action, ours.policy_name, ours.max_confidence, hide_rule_turn=ours.hide_rule_turn)
                )
                if action == ACTION_LISTEN_NAME:
                    break
    assert compared > 500
