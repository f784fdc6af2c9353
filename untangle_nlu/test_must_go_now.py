"""MustGoNow with Rasa's own storage and message classes, after a pretend classifier and danger detector."""

from __future__ import annotations

from typing import Optional, Sequence

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from untangle_nlu.danger_marking import URGENT, DangerMark, mark_danger
from untangle_nlu.must_go_now import MustGoNow, is_signal


@pytest.fixture(scope="module")
def component(tmp_path_factory) -> MustGoNow:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    context = ExecutionContext(GraphSchema({}), node_name="must_go_now")
    return MustGoNow.create(MustGoNow.get_default_config(), storage, Resource("must_go_now"), context)


def parsed(text: str, intent: str = "share_experience", danger: Optional[Sequence[str]] = None) -> Message:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.6})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.6}, {"name": "goodbye", "confidence": 0.2}])
    if danger:
        mark_danger(message, DangerMark(URGENT, "lexicon", tuple(danger)), extractor="DangerDetector")
    return message


def intent_of(component: MustGoNow, message: Message) -> str:
    return component.process([message])[0].get(INTENT)["name"]


@pytest.mark.parametrize(
    "text",
    [
        "he's here",
        "hes here!!",
        "He’s here",
        "he's coming",
        "he's on his way home",
        "he woke up",
        "she just woke up",
        "I have to go",
        "gtg he's back",
        "shit he's home",
        "my husband is home",
        "cant talk he's back",
        "he's coming up",
        "wait. hes comin",
    ],
)
def test_the_whole_message_is_a_signal(text):
    assert is_signal(text)


@pytest.mark.parametrize(
    "text",
    [
        "he's back in my life",
        "he's coming to my sister's wedding",
        "he's here for me",
        "i have to go to work tomorrow and i'm dreading it",
        "he woke up in a good mood",
        "is he coming back to me?",
        "bye",
        "he came back to me after a week",
        "he's at the door",
        "he's outside",
    ],
)
def test_a_longer_thought_is_not_a_signal(text):
    assert not is_signal(text)


def test_hes_here_marked_as_immediate_danger_gets_the_one_line_reply(component):
    message = parsed("he's here", danger=["immediate_danger"])
    assert message.get(INTENT)["name"] == "danger"
    processed = component.process([message])[0]
    assert processed.get(INTENT) == {"name": "must_go_now", "confidence": 1.0}
    assert processed.get(INTENT_RANKING_KEY)[0]["name"] == "must_go_now"
    assert processed.get("danger")["categories"] == ["immediate_danger"]  # the slots still record the danger


def test_another_danger_named_keeps_the_crisis_flow(component):
    assert intent_of(component, parsed("he's here", danger=["immediate_danger", "violence"])) == "danger"


def test_the_classifiers_own_must_go_now_stands_where_no_danger_was_found(component):
    assert intent_of(component, parsed("someone is coming, bye", intent="must_go_now")) == "must_go_now"


def test_a_longer_danger_message_keeps_the_crisis_flow_whatever_the_classifier_thought(component):
    message = parsed("he's here and he has a knife", intent="must_go_now", danger=["immediate_danger"])
    assert intent_of(component, message) == "danger"


def test_i_have_to_go_read_as_goodbye_gets_the_one_line_reply(component):
    assert intent_of(component, parsed("I have to go", intent="goodbye")) == "must_go_now"


def test_an_ordinary_message_keeps_its_intent(component):
    assert intent_of(component, parsed("he was here yesterday and we argued")) == "share_experience"
