"""CheckInPolicy with Rasa's own storage, domain and tracker classes."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionReverted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.check_in_policy import CHECK_IN_ACTION, CheckInPolicy
from untangle_core.turn_end_policy import turn_ends

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [ask_why_go_back, greet]
entities:
  - danger_level:
      influence_conversation: false
responses:
  utter_why_go_back: [{text: "Going back is common."}]
  utter_greet: [{text: "Hi"}]
actions: [action_offer_resume, action_crisis_check_in]
""")


def tracker_of(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("test", [ActionExecuted("action_listen"), *events], domain=DOMAIN)


def said(intent: str, level=None) -> UserUttered:
    entities = [{"entity": "danger_level", "value": level}] if level else []
    return UserUttered("text", {"name": intent, "confidence": 1.0}, entities)


@pytest.fixture
def policy(tmp_path) -> CheckInPolicy:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("check_in_policy")
    context = ExecutionContext(GraphSchema({}), node_name="check_in_policy")
    trained = CheckInPolicy.create(CheckInPolicy.get_default_config(), storage, resource, context)
    story = tracker_of(
        said("ask_why_go_back"),
        ActionExecuted("utter_why_go_back"),
        ActionExecuted("action_offer_resume"),
        ActionExecuted("action_listen"),
    )
    trained.train([story], DOMAIN)
    return CheckInPolicy.load(CheckInPolicy.get_default_config(), storage, resource, context)


def predicted(policy: CheckInPolicy, tracker: DialogueStateTracker):
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return DOMAIN.action_names_or_texts[best] if prediction.probabilities[best] > 0 else None


def test_it_learns_which_actions_end_a_turn():
    story = tracker_of(said("greet"), ActionExecuted("utter_greet"), ActionExecuted("action_listen"))
    assert turn_ends([story]) == {"utter_greet"}


def test_the_check_in_comes_once_the_reply_is_complete(policy):
    assert predicted(policy, tracker_of(said("ask_why_go_back", "check_in"))) is None  # not before the reply
    mid_reply = tracker_of(said("ask_why_go_back", "check_in"), ActionExecuted("utter_why_go_back"))
    assert predicted(policy, mid_reply) is None
    complete = tracker_of(
        said("ask_why_go_back", "check_in"), ActionExecuted("utter_why_go_back"), ActionExecuted("action_offer_resume")
    )
    assert predicted(policy, complete) == CHECK_IN_ACTION
    assert policy.predict_action_probabilities(complete, DOMAIN).is_no_user_prediction


def test_once_per_message_and_the_reply_state_is_kept(policy):
    done = tracker_of(
        said("ask_why_go_back", "check_in"),
        ActionExecuted("utter_why_go_back"),
        ActionExecuted("action_offer_resume"),
        ActionExecuted(CHECK_IN_ACTION),
        BotUttered("If any of this touches on your safety..."),
        ActionReverted(),
    )
    assert done.latest_action_name == "action_offer_resume"  # the rules see the reply, not the check-in
    assert predicted(policy, done) is None


@pytest.mark.parametrize("level", [None, "urgent"])
def test_nothing_without_a_check_in(policy, level):
    complete = tracker_of(
        said("ask_why_go_back", level), ActionExecuted("utter_why_go_back"), ActionExecuted("action_offer_resume")
    )
    assert predicted(policy, complete) is None


def test_no_second_card_for_an_unnamed_check_in_straight_after_the_lines(policy):
    def answer(category):
        message = UserUttered(
            "yes im safe hes at work till 6",
            {"name": "ask_why_go_back", "confidence": 1.0},
            [{"entity": "danger_level", "value": "check_in"}, {"entity": "danger_category", "value": category}],
        )
        return tracker_of(
            said("greet"),
            ActionExecuted("action_crisis_referral"),
            ActionExecuted("action_listen"),
            message,
            ActionExecuted("utter_why_go_back"),
            ActionExecuted("action_offer_resume"),
        )

    assert predicted(policy, answer("unspecified")) is None
    assert predicted(policy, answer("child_at_risk")) == CHECK_IN_ACTION  # a danger named in the answer: its card


def test_no_check_in_after_a_reply_that_showed_the_lines_itself(policy):
    tracker = tracker_of(said("ask_why_go_back", "check_in"), ActionExecuted("action_warning_sign"))
    assert predicted(policy, tracker) is None
