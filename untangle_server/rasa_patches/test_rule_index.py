"""The rule index finds exactly the rules Rasa's own search finds, for every rule of the trained model."""
import json

import pytest
from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

from untangle_server.rasa_patches import rule_index


@pytest.fixture(scope="module")
def rule_policy(load_trained_model):
    _, runner = load_trained_model(DaskGraphRunner)
    return next(node._component for node in runner._instantiated_nodes.values()
                if isinstance(node._component, RulePolicy))


def conversations_near_each_rule(rule_policy):
    """Each rule's own states, and the same with another intent, another previous action, no intent (as when
    matching by text) and no previous action (a conversation's start)."""
    rules = [json.loads(key) for key in rule_policy.lookup[RULES]]
    intents = sorted({state[USER][INTENT] for states in rules for state in states if INTENT in state.get(USER, {})})
    actions = sorted({state[PREVIOUS_ACTION][ACTION_NAME] for states in rules for state in states
                      if ACTION_NAME in state.get(PREVIOUS_ACTION, {})})
    for number, states in enumerate(rules):
        yield states
        current = states[-1]
        yield states[:-1] + [{**current, USER: {INTENT: intents[number % len(intents)]}}]
        yield states[:-1] + [{**current, PREVIOUS_ACTION: {ACTION_NAME: actions[number % len(actions)]}}]
        yield states[:-1] + [{key: value for key, value in current.items() if key != USER}]
        yield states[:-1] + [{key: value for key, value in current.items() if key != PREVIOUS_ACTION}]


def test_the_indexed_search_finds_the_same_rules_as_rasa(rule_policy):
    lookup = rule_policy.lookup[RULES]
    compared = found = 0
    for states in conversations_near_each_rule(rule_policy):
        expected = rule_index._rasa_get_possible_keys(rule_policy, lookup, states)
        assert rule_index.get_possible_keys(rule_policy, lookup, states) == expected, states
        compared, found = compared + 1, found + bool(expected)
    assert compared == 5 * len(lookup) and found >= len(lookup)  # every rule at least finds itself


def test_the_index_leaves_out_what_cannot_match():
    lookup = {json.dumps([{PREVIOUS_ACTION: {ACTION_NAME: "action_listen"}, USER: {INTENT: "greet"}}]): "utter_hi",
              json.dumps([{PREVIOUS_ACTION: {ACTION_NAME: "action_listen"}, USER: {INTENT: "danger"}}]): "utter_help",
              json.dumps([{PREVIOUS_ACTION: {ACTION_NAME: "utter_help"}}]): "action_listen"}
    index = rule_index.build_index(lookup)
    state = {PREVIOUS_ACTION: {ACTION_NAME: "action_listen"}, USER: {INTENT: "danger"}}
    assert [lookup[key] for key in rule_index.candidate_keys(index, state)] == ["utter_help"]
    assert rule_index.candidate_keys(index, {PREVIOUS_ACTION: {ACTION_NAME: "utter_greet"}}) == set()


def test_install_replaces_rasas_search(monkeypatch):
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", rule_index._rasa_get_possible_keys)
    rule_index.install()
    assert RulePolicy._get_possible_keys is rule_index.get_possible_keys
