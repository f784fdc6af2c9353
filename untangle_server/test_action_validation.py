"""Action-server replies: valid ones pass the compiled schema, invalid ones still fail with Rasa's error."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from untangle_server import action_validation


@pytest.fixture
def remote_action(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_validation.install()
    return RemoteAction("action_answer_concept", action_endpoint=None)


def test_a_reply_with_events_and_responses_is_accepted(remote_action):
    reply = {"events": [{"event": "slot", "name": "guide_step", "value": "what_is", "timestamp": None}],
             "responses": [{"text": "A trauma bond is ..."}]}
    assert remote_action._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [5]},
])
def test_a_malformed_reply_fails_with_rasas_own_message(remote_action, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result(reply)
