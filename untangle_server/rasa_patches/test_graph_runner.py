"""The sequential runner gives the trained model's answers exactly as Rasa's dask runner does, and fails the same."""

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_server.rasa_patches.graph_runner import SequentialGraphRunner, execution_order

MESSAGES = [
    "hello",
    "what is a trauma bond?",
    "he said he will kill me",
    '/go_to_step{"step": "stages"}',
    "i feel so stupid for staying",
    "nxt pls",
    "bye",
]


@pytest.fixture(scope="module")
def runners(load_trained_model):
    metadata, dask_runner = load_trained_model(DaskGraphRunner)
    _, sequential_runner = load_trained_model(SequentialGraphRunner)
    return metadata, dask_runner, sequential_runner


def parse(metadata, runner, text, tracker):
    outputs = runner.run(
        inputs={PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: tracker}, targets=[metadata.nlu_target]
    )
    return outputs[metadata.nlu_target][0].as_dict(only_output_properties=True)


def next_action(metadata, runner, tracker):
    prediction = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[metadata.core_target])[metadata.core_target]
    return metadata.domain.action_names_or_texts[prediction.max_confidence_index], prediction


@pytest.mark.parametrize("text", MESSAGES)
def test_each_message_is_understood_and_answered_the_same(runners, text):
    metadata, dask_runner, sequential_runner = runners
    tracker = DialogueStateTracker.from_events("person", [ActionExecuted(ACTION_LISTEN_NAME)], metadata.domain.slots)
    parse_data = parse(metadata, sequential_runner, text, tracker)
    assert parse_data == parse(metadata, dask_runner, text, tracker)
    tracker.update(UserUttered(text, parse_data["intent"], parse_data["entities"], parse_data))
    for _ in range(6):  # the actions the model predicts after the message, up to listening again
        action, prediction = next_action(metadata, sequential_runner, tracker)
        dask_action, dask_prediction = next_action(metadata, dask_runner, tracker)
        assert (action, prediction.policy_name, prediction.probabilities) == (
            dask_action,
            dask_prediction.policy_name,
            dask_prediction.probabilities,
        )
        if action == ACTION_LISTEN_NAME:
            break
        tracker.update(ActionExecuted(action))
    assert action == ACTION_LISTEN_NAME


def test_a_failing_component_raises_rasas_error_as_with_dask(runners):
    metadata, _, sequential_runner = runners
    with pytest.raises(GraphComponentException):  # a message list that is not a list of messages
        sequential_runner.run(
            inputs={PLACEHOLDER_MESSAGE: [None], PLACEHOLDER_TRACKER: None}, targets=[metadata.nlu_target]
        )


def test_a_missing_input_is_reported_by_the_node_that_needs_it(runners):
    metadata, _, sequential_runner = runners
    with pytest.raises(GraphRunError, match="Missing input"):
        sequential_runner.run(inputs={}, targets=[metadata.core_target])


def test_an_input_named_like_a_node_is_refused(runners):
    metadata, _, sequential_runner = runners
    with pytest.raises(GraphRunError, match="clashes"):
        sequential_runner.run(inputs={metadata.core_target: "x"}, targets=[metadata.core_target])


def test_every_node_runs_once_after_the_nodes_it_needs():
    needs = {
        "nlu": ("tokens", "__message__"),
        "tokens": ("__message__",),
        "policy": ("nlu", "domain"),
        "domain": (),
        "unused": ("tokens",),
    }
    order = [name for name, _ in execution_order(needs, ("policy",))]
    assert sorted(order) == ["domain", "nlu", "policy", "tokens"]  # only what the target depends on
    assert order.index("tokens") < order.index("nlu") < order.index("policy")
    assert order.index("domain") < order.index("policy")


def test_a_cycle_is_an_error_not_a_hang():
    with pytest.raises(GraphRunError, match="cycle"):
        execution_order({"a": ("b",), "b": ("a",)}, ("a",))
