"""ReflectPolicy with Rasa's own storage, domain and tracker classes."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionReverted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.reflect_policy import REFLECT_ACTION, ReflectPolicy

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [ask_why_go_back, danger]
entities:
  - reflect_feeling:
      influence_conversation: false
  - danger_level:
      influence_conversation: false
responses:
  utter_why_go_back: [{text: "Going back is common."}]
actions: [action_reflect_feeling]
""")


def tracker_of(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("test", [ActionExecuted("action_listen"), *events], domain=DOMAIN)


def asked(feeling=None) -> UserUttered:
    entities = [{"entity": "reflect_feeling", "value": feeling}] if feeling else []
    return UserUttered("a long message", {"name": "ask_why_go_back", "confidence": 1.0}, entities)


@pytest.fixture
def policy(tmp_path) -> ReflectPolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), node_name="reflect_policy")
    return ReflectPolicy.create(ReflectPolicy.get_default_config(), storage, Resource("reflect_policy"), context)


def predicted(policy: ReflectPolicy, tracker: DialogueStateTracker):
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return DOMAIN.action_names_or_texts[best] if prediction.probabilities[best] > 0 else None


def test_a_named_feeling_is_reflected_first_then_left_to_the_other_policies(policy):
    assert predicted(policy, tracker_of(asked("feel_ashamed"))) == REFLECT_ACTION
    reflected = tracker_of(
        asked("feel_ashamed"), ActionExecuted(REFLECT_ACTION), BotUttered("It sounds hard."), ActionReverted()
    )
    assert reflected.latest_action_name == "action_listen"  # the rules see the message as if nothing came first
    assert predicted(policy, reflected) is None


def test_no_reflection_without_a_named_feeling_or_mid_reply(policy):
    assert predicted(policy, tracker_of(asked())) is None
    assert predicted(policy, tracker_of(asked("feel_sad"), ActionExecuted("utter_why_go_back"))) is None


def test_danger_is_never_preceded_by_a_reflection(policy):
    """A long post that the danger detector found urgent goes straight to the crisis flow's essentials."""
    urgent = UserUttered(
        "a long message",
        {"name": "danger", "confidence": 1.0},
        [{"entity": "reflect_feeling", "value": "feel_sad"}, {"entity": "danger_level", "value": "urgent"}],
    )
    assert predicted(policy, tracker_of(urgent)) is None
    check_in = UserUttered(
        "a long message",
        {"name": "ask_why_go_back", "confidence": 1.0},
        [{"entity": "reflect_feeling", "value": "feel_sad"}, {"entity": "danger_level", "value": "check_in"}],
    )
    assert predicted(policy, tracker_of(check_in)) == REFLECT_ACTION  # the answer, and the card after it
