"""RepeatPolicy with Rasa's own storage, domain and tracker classes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.repeat_policy import REPEAT_ACTION, RepeatPolicy, read_topic_intents

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [ask_they_moved_on, ask_stage, affirm, danger]
entities:
  - stage:
      influence_conversation: false
  - danger_level:
      influence_conversation: false
responses:
  utter_ask_they_moved_on: [{text: "A fast new relationship says little about you."}]
actions: [action_answer_again, action_offer_resume]
""")


def said(text: str, intent: str = "ask_they_moved_on", **entities: str) -> UserUttered:
    return UserUttered(
        text, {"name": intent, "confidence": 1.0}, [{"entity": k, "value": v} for k, v in entities.items()]
    )


def answered(*messages: UserUttered, between=("utter_ask_they_moved_on", "action_offer_resume")):
    """A conversation: each message but the last answered by the actions `between`, the last one just received."""
    events = [ActionExecuted("action_listen")]
    for message in messages[:-1]:
        events += [
            message,
            *(ActionExecuted(name) for name in between),
            BotUttered("..."),
            ActionExecuted("action_listen"),
        ]
    events.append(messages[-1])
    return DialogueStateTracker.from_events("test", events, domain=DOMAIN)


@pytest.fixture
def policy(tmp_path) -> RepeatPolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), node_name="repeat_policy")
    policy = RepeatPolicy.create(RepeatPolicy.get_default_config(), storage, Resource("repeat_policy"), context)
    policy.train([], DOMAIN)
    return policy


def predicted(policy: RepeatPolicy, tracker: DialogueStateTracker):
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return DOMAIN.action_names_or_texts[best] if prediction.probabilities[best] > 0 else None


def test_the_same_question_again_gets_other_topics_then_the_assistant_listens(policy):
    tracker = answered(said("he has a new gf already"), said("but how is she with someone new so fast"))
    assert predicted(policy, tracker) == REPEAT_ACTION
    tracker.update(ActionExecuted(REPEAT_ACTION))
    assert predicted(policy, tracker) == "action_listen"


def test_a_typed_follow_up_to_a_button_is_a_question_asked_again(policy):
    """ "Helping someone else", then "but what should I say to her?": the same answer would not help."""
    assert predicted(policy, answered(said("/ask_they_moved_on"), said("but how is he fine already"))) == REPEAT_ACTION


def test_asked_a_third_time_it_is_the_usual_answer_again(policy):
    first, second, third = said("new gf already"), said("so fast though??"), said("how can he move on like that")
    events = [ActionExecuted("action_listen"), first, ActionExecuted("utter_ask_they_moved_on")]
    events += [ActionExecuted("action_listen"), second, ActionExecuted(REPEAT_ACTION), ActionExecuted("action_listen")]
    tracker = DialogueStateTracker.from_events("test", [*events, third], domain=DOMAIN)
    assert predicted(policy, tracker) is None


@pytest.mark.parametrize(
    "first, second",
    [
        (said("tell me stage 2", "ask_stage", stage="2"), said("and stage 3?", "ask_stage", stage="3")),  # not the same
        (said("new gf already"), said("/ask_they_moved_on")),  # a button now: asked for on purpose
        (said("yes", "affirm"), said("yeah", "affirm")),  # not a topic
        (said("new gf already"), said("he moved on and hit me", danger_level="urgent")),  # danger keeps its flow
        (said("new gf already"), said("he moved on, it's been years", danger_level="check_in")),  # and its card
    ],
)
def test_other_second_messages_are_left_to_the_other_policies(policy, first, second):
    assert predicted(policy, answered(first, second)) is None


def test_the_first_message_is_left_alone(policy):
    assert predicted(policy, answered(said("he has a new gf already"))) is None


def test_the_topics_are_the_titled_intents_of_the_domain_kept_in_the_model(policy):
    titled = read_topic_intents(ROOT / "actions" / "guide" / "topic_titles.yml")
    assert policy.topics == titled & set(DOMAIN.intents)
    assert {"ask_they_moved_on", "ask_stage"} <= policy.topics and "affirm" not in policy.topics
    context = ExecutionContext(GraphSchema({}), node_name="repeat_policy")
    loaded = RepeatPolicy.load(
        RepeatPolicy.get_default_config(), policy._model_storage, Resource("repeat_policy"), context
    )
    assert loaded.topics == policy.topics


def test_the_image_and_make_train_with_the_topics_file():
    """The container's build stage trains before it copies actions/: the file must be there by then, and a change to
    it must retrain (the model keeps the topics)."""
    topics_file = RepeatPolicy.get_default_config()["topics_file"]
    containerfile = (ROOT / "Containerfile").read_text(encoding="utf-8")
    train_step = containerfile.index("venv train")
    assert f"COPY {topics_file} " in containerfile[:train_step]
    assert topics_file in (ROOT / "Makefile").read_text(encoding="utf-8").split("TRAINING_INPUTS :=", 1)[1][:300]
