"""Action-server replies: valid ones pass the compiled schema, invalid ones still fail with Rasa's error."""

from datetime import datetime

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from untangle_server.rasa_patches import action_validation


@pytest.fixture
def remote_action(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_validation.install()
    return RemoteAction("action_answer_concept", action_endpoint=None)


def test_a_reply_with_events_and_responses_is_accepted(remote_action):
    reply = {
        "events": [{"event": "slot", "name": "guide_step", "value": "what_is", "timestamp": None}],
        "responses": [{"text": "A trauma bond is ..."}],
    }
    assert remote_action._validate_action_result(reply) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"event": "no_such_event"}]},
        {"events": "not a list"},
        {"responses": [5]},
    ],
)
def test_a_malformed_reply_fails_with_rasas_own_message(remote_action, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result(reply)


def replies_of_every_event_type():
    """A reply per event Rasa can serialise (each event class's own `as_dict`), and broken variants of each."""
    from rasa.shared.core import events as rasa_events

    examples = [
        rasa_events.UserUttered("hi", {"name": "greet", "confidence": 1.0}, [{"entity": "e", "value": "v"}]),
        rasa_events.BotUttered("hello", {"buttons": [{"title": "a", "payload": "/a"}]}),
        rasa_events.SlotSet("guide_step", "stages"),
        rasa_events.SlotSet("flag", True),
        rasa_events.Restarted(),
        rasa_events.AllSlotsReset(),
        rasa_events.ReminderScheduled("i", datetime(2026, 11, 24)),
        rasa_events.ReminderCancelled("r"),
        rasa_events.ActionReverted(),
        rasa_events.UserUtteranceReverted(),
        rasa_events.StoryExported(),
        rasa_events.FollowupAction("action_x"),
        rasa_events.ConversationPaused(),
        rasa_events.ConversationResumed(),
        rasa_events.ActionExecuted("action_x", "policy", 0.5),
        rasa_events.AgentUttered("text"),
        rasa_events.ActiveLoop("form"),
        rasa_events.ActiveLoop(None),
        rasa_events.LegacyForm("form"),
        rasa_events.LoopInterrupted(True),
        rasa_events.LegacyFormValidation(True),
        rasa_events.ActionExecutionRejected("action_x"),
        rasa_events.SessionStarted(),
        rasa_events.EntitiesAdded([{"entity": "e", "value": "v"}]),
        rasa_events.DefinePrevUserUtteredFeaturization(True),
    ]
    for event in examples:
        as_dict = event.as_dict()
        yield {"events": [as_dict]}
        for key in [key for key in as_dict if key != "event"]:
            yield {"events": [{**as_dict, key: ["not", "this"]}]}
        yield {"events": [{**as_dict, "event": "not_an_event"}]}
        yield {"events": [{key: value for key, value in as_dict.items() if key != "event"}]}
    yield {"events": [examples[0].as_dict(), examples[2].as_dict()], "responses": [{"text": "x"}]}
    yield {"events": None}
    yield {"events": [5]}
    yield {"responses": "x"}
    yield []


def test_checking_each_event_against_its_own_type_gives_rasas_verdict():
    assert action_validation.split_validators() is not None  # the schema still has the shape this relies on
    verdicts = [
        (action_validation.is_valid(reply), action_validation.compiled_validator().is_valid(reply))
        for reply in replies_of_every_event_type()
    ]
    assert all(ours == rasas for ours, rasas in verdicts), [v for v in verdicts if v[0] != v[1]]
    assert sum(rasas for _, rasas in verdicts) >= 20 and sum(not rasas for _, rasas in verdicts) >= 40
