"""LongMessageSentences with Rasa's own storage and message classes: which messages get their sentences appended."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.long_message_sentences import PART_ATTRIBUTE, LongMessageSentences, is_question

LONG_POST = (
    "My sister has been with him for six years and I have watched her shrink the whole time. "
    "He checks her phone, he decides who she sees, and when she does go out he sulks for days afterwards. "
    "Every time I say something she defends him and then goes quiet on me for a week. "
    "How do I help her without pushing her away"
)


@pytest.fixture(scope="module")
def splitter(tmp_path_factory) -> LongMessageSentences:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    context = ExecutionContext(GraphSchema({}), node_name="long_message_sentences")
    return LongMessageSentences.create(
        LongMessageSentences.get_default_config(), storage, Resource("long_message_sentences"), context
    )


def test_a_long_message_is_followed_by_its_sentences_marked_as_parts(splitter):
    message = Message({TEXT: LONG_POST})
    result = splitter.process([message])
    assert result[0] is message and message.get(PART_ATTRIBUTE) is None
    parts = result[1:]
    assert [part.get(TEXT) for part in parts][-1] == "How do I help her without pushing her away"
    assert [part.get(PART_ATTRIBUTE).is_question for part in parts] == [False, False, False, True]
    assert {part.get(PART_ATTRIBUTE).owner for part in parts} == {0}


def test_a_short_message_is_left_alone(splitter):
    message = Message({TEXT: "how do i help my sister? she won't listen."})
    assert splitter.process([message]) == [message]


def test_a_message_over_the_length_limit_gets_no_parts(splitter):
    message = Message({TEXT: LONG_POST * 8})
    assert len(splitter.process([message])) == 1


def test_training_examples_are_not_split(splitter):
    data = TrainingData([Message({TEXT: LONG_POST, "intent": "ask_help_friend"})])
    assert len(splitter.process_training_data(data).training_examples) == 1


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("should i go back to him", True),
        ("any tips?", True),
        ("he said sorry again.", False),
        ("i know how it sounds", False),
    ],
)
def test_questions_are_recognised_with_or_without_a_question_mark(sentence, expected):
    assert is_question(sentence) is expected
