"""The faster JSON writer's text parses to exactly what Python's own gives, for conversations and awkward values."""

import json
import math

import numpy as np
import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from untangle_server import fast_json

AWKWARD = [
    "he said «je t'aime» then hit me 😔",
    'a/b\\c"d\n\t\u2028',
    0.1,
    1 / 3,
    1e-7,
    -0.0,
    123456789.12345679,
    2**63 - 1,
    -(2**63),
    2**64,
    10**30,
    np.float64(0.30000000000000004),
    True,
    None,
    [],
    {},
    {"nested": [{"list": (1, 2.5, "x")}]},
]


def parsed_alike(ours, pythons) -> bool:
    if isinstance(pythons, float) and math.isnan(pythons):
        return isinstance(ours, float) and math.isnan(ours)
    return ours == pythons and type(ours) is type(pythons)


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_awkward_values_parse_to_what_pythons_json_gives(value):
    assert parsed_alike(json.loads(fast_json.dumps(value)), json.loads(json.dumps(value)))


def test_nan_and_infinity_are_written_as_python_writes_them():
    for value in (float("nan"), float("inf"), float("-inf")):
        assert parsed_alike(json.loads(fast_json.dumps(value)), json.loads(json.dumps(value)))


def test_what_python_refuses_is_refused():
    with pytest.raises(TypeError):
        fast_json.dumps({"confidence": np.float32(0.5)})


def test_conversations_parse_to_what_rasa_stores(project_conversations):
    domain, conversations = project_conversations
    for events in conversations:
        tracker = DialogueStateTracker.from_events("person", events, domain.slots)
        tracker.update(
            UserUttered(
                "he said «je t'aime» / then 😔",
                {"name": "share_feeling", "confidence": 0.8731},
                [{"entity": "country", "value": "GB", "start": 0, "end": 2}],
            )
        )
        tracker.update(SlotSet("guide_step", "stages"))
        tracker.update(BotUttered("That sounds hard.", {"buttons": [{"title": "Next", "payload": "/continue"}]}))
        tracker.update(ActionExecuted("action_listen", "policy_0_RulePolicy", 1.0))
        dialogue = tracker.as_dialogue().as_dict()
        assert json.loads(fast_json.dumps(dialogue)) == json.loads(json.dumps(dialogue))
        state = tracker.current_state(EventVerbosity.ALL)
        assert fast_json.plain(state) == json.loads(json.dumps(state))


def test_plain_shares_nothing_with_what_it_was_given():
    data = {"events": [{"parse_data": {"entities": []}}]}
    copied = fast_json.plain(data)
    copied["events"][0]["parse_data"]["entities"].append("x")
    assert data == {"events": [{"parse_data": {"entities": []}}]}
