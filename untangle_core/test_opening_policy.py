"""OpeningPolicy with Rasa's own storage, domain and tracker classes."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.opening_policy import OpeningPolicy

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [ask_why_go_back, greet, danger]
responses:
  utter_faq_why_go_back: [{text: "Going back is common."}]
  utter_privacy_short: [{text: "Nothing is saved."}]
  utter_ask_safe_to_chat: [{text: "Is it safe to chat?"}]
actions: [action_offer_resume]
""")
SESSION_START = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
REPLY = [ActionExecuted("utter_faq_why_go_back"), ActionExecuted("action_offer_resume")]


def said(intent: str) -> UserUttered:
    return UserUttered("text", {"name": intent, "confidence": 1.0})


def tracker_of(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("test", list(events), domain=DOMAIN)


@pytest.fixture
def policy(tmp_path) -> OpeningPolicy:
    storage, resource = LocalModelStorage(tmp_path), Resource("opening_policy")
    context = ExecutionContext(GraphSchema({}), node_name="opening_policy")
    trained = OpeningPolicy.create(OpeningPolicy.get_default_config(), storage, resource, context)
    trained.train(
        [tracker_of(ActionExecuted("action_listen"), said("ask_why_go_back"), *REPLY, ActionExecuted("action_listen"))],
        DOMAIN,
    )
    return OpeningPolicy.load(OpeningPolicy.get_default_config(), storage, resource, context)


def predicted(policy: OpeningPolicy, tracker: DialogueStateTracker):
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    if max(prediction.probabilities) < 1.0:
        return None
    return DOMAIN.action_names_or_texts[prediction.probabilities.index(1.0)]


def test_a_first_question_is_answered_then_gets_the_privacy_notice_and_the_safety_check(policy):
    assert predicted(policy, tracker_of(*SESSION_START, said("ask_why_go_back"))) is None  # the answer comes first
    answered = tracker_of(*SESSION_START, said("ask_why_go_back"), *REPLY)
    assert predicted(policy, answered) == "utter_privacy_short"
    noticed = tracker_of(*SESSION_START, said("ask_why_go_back"), *REPLY, ActionExecuted("utter_privacy_short"))
    assert predicted(policy, noticed) == "utter_ask_safe_to_chat"


def test_the_opening_is_shown_once(policy):
    shown = [
        ActionExecuted("utter_privacy_short"),
        ActionExecuted("utter_ask_safe_to_chat"),
        ActionExecuted("action_listen"),
    ]
    second = tracker_of(*SESSION_START, said("ask_why_go_back"), *REPLY, *shown, said("ask_why_go_back"), *REPLY)
    assert predicted(policy, second) is None


@pytest.mark.parametrize("intent", ["greet", "danger"])
def test_greetings_and_danger_keep_their_own_opening(policy, intent):
    assert predicted(policy, tracker_of(*SESSION_START, said(intent), *REPLY)) is None


def test_stories_without_a_session_start_are_left_alone(policy):
    assert predicted(policy, tracker_of(ActionExecuted("action_listen"), said("ask_why_go_back"), *REPLY)) is None
