"""IndexedRulePolicy predicts what RulePolicy predicts, testing fewer rules, with Rasa's own classes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Type

import pytest
import yaml
from rasa.core.policies.rule_policy import RULES, RulePolicy
from rasa.engine import loader
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

from untangle_core.indexed_rule_policy import IndexedRulePolicy, build_index, candidate_keys

ROOT = Path(__file__).resolve().parents[1]
CONFIG = {
    "core_fallback_threshold": 0.3,
    "core_fallback_action_name": "action_default_fallback",
    "enable_fallback_prediction": True,
}  # as config.yml sets them
DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, ask_stages, danger, affirm, deny, thanks]
responses:
  utter_greet: [{text: "Hi."}]
  utter_stages: [{text: "There are seven stages."}]
  utter_ask_more: [{text: "Want to know more?"}]
  utter_stage_one: [{text: "The first is love bombing."}]
  utter_help: [{text: "Here are people who can help."}]
  utter_welcome: [{text: "You're welcome."}]
  utter_ok: [{text: "OK."}]
""")
RULES_YAML = """
version: "3.1"
rules:
- rule: greet
  steps: [{intent: greet}, {action: utter_greet}]
- rule: stages
  steps: [{intent: ask_stages}, {action: utter_stages}, {action: utter_ask_more}]
- rule: more stages
  steps: [{action: utter_ask_more}, {intent: affirm}, {action: utter_stage_one}]
- rule: no more stages
  steps: [{action: utter_ask_more}, {intent: deny}, {action: utter_ok}]
- rule: danger always
  steps: [{intent: danger}, {action: utter_help}]
- rule: thanks
  steps: [{intent: thanks}, {action: utter_welcome}]
"""
START = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


def said(intent: str) -> UserUttered:
    return UserUttered(f"/{intent}", {"name": intent, "confidence": 1.0})


def trained(policy_class: Type[RulePolicy], tmp_path: Path) -> RulePolicy:
    """The policy trained on RULES_YAML and loaded back, as Rasa trains and loads it."""
    steps = YAMLStoryReader(DOMAIN).read_from_string(RULES_YAML)
    trackers = TrainingDataGenerator(StoryGraph(steps), DOMAIN, augmentation_factor=0).generate()
    (tmp_path / policy_class.__name__).mkdir()
    storage, resource = LocalModelStorage(tmp_path / policy_class.__name__), Resource("rule_policy")
    context = ExecutionContext(GraphSchema({}), node_name="rule_policy")
    config = {**policy_class.get_default_config(), **CONFIG}
    policy_class.create(config, storage, resource, context).train(trackers, DOMAIN)
    return policy_class.load(config, storage, resource, context)


# Conversations that end where a rule applies, where none does, and where only the fallback does.
CONVERSATIONS = {
    "greeting": [said("greet")],
    "stages question": [said("ask_stages")],
    "after the stages": [said("ask_stages"), ActionExecuted("utter_stages")],
    "more stages": [
        said("ask_stages"),
        ActionExecuted("utter_stages"),
        ActionExecuted("utter_ask_more"),
        ActionExecuted("action_listen"),
        said("affirm"),
    ],
    "no more": [
        said("ask_stages"),
        ActionExecuted("utter_stages"),
        ActionExecuted("utter_ask_more"),
        ActionExecuted("action_listen"),
        said("deny"),
    ],
    "yes out of the blue": [
        said("greet"),
        ActionExecuted("utter_greet"),
        ActionExecuted("action_listen"),
        said("affirm"),
    ],
    "danger mid-question": [
        said("ask_stages"),
        ActionExecuted("utter_stages"),
        ActionExecuted("utter_ask_more"),
        ActionExecuted("action_listen"),
        said("danger"),
    ],
    "turn done": [said("thanks"), ActionExecuted("utter_welcome")],
}


def prediction_of(policy: RulePolicy, events: list) -> tuple:
    tracker = DialogueStateTracker.from_events("person", START + events, domain=DOMAIN, slots=DOMAIN.slots)
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    return (
        prediction.probabilities,
        prediction.events,
        prediction.optional_events,
        prediction.is_no_user_prediction,
        prediction.is_end_to_end_prediction,
    )


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("rules")
    return trained(RulePolicy, tmp_path), trained(IndexedRulePolicy, tmp_path)


def test_it_learns_the_same_rules_and_predicts_the_same_as_rasa(policies):
    rasa_policy, indexed_policy = policies
    assert indexed_policy.lookup == rasa_policy.lookup
    predicted = {}
    for name, events in CONVERSATIONS.items():
        assert prediction_of(indexed_policy, events) == prediction_of(rasa_policy, events), name
        probabilities = prediction_of(indexed_policy, events)[0]
        predicted[name] = DOMAIN.action_names_or_texts[probabilities.index(max(probabilities))]
    assert predicted["more stages"] == "utter_stage_one" and predicted["no more"] == "utter_ok"
    assert predicted["danger mid-question"] == "utter_help"
    assert predicted["yes out of the blue"] == "action_default_fallback"


def test_it_tests_fewer_rules(policies, monkeypatch):
    rasa_policy, indexed_policy = policies
    rules_tested: List[int] = []
    rasa_search = RulePolicy._get_possible_keys

    def counting(self, lookup, states):
        if lookup is not self.lookup.get("rules_for_loop_unhappy_path"):
            rules_tested.append(len(lookup))
        return rasa_search(self, lookup, states)

    monkeypatch.setattr(RulePolicy, "_get_possible_keys", counting)
    for policy in (rasa_policy, indexed_policy):
        prediction_of(policy, CONVERSATIONS["more stages"])
    by_rasa, by_index = rules_tested[: len(rules_tested) // 2], rules_tested[len(rules_tested) // 2 :]
    assert len(rasa_policy.lookup[RULES]) > 8 and set(by_rasa) == {len(rasa_policy.lookup[RULES])}
    assert max(by_index) <= 2  # the rules after utter_ask_more for affirm, and those that leave the intent open


def test_the_index_leaves_out_what_cannot_match():
    lookup = {
        json.dumps([{PREVIOUS_ACTION: {ACTION_NAME: "action_listen"}, USER: {INTENT: "greet"}}]): "utter_hi",
        json.dumps([{PREVIOUS_ACTION: {ACTION_NAME: "action_listen"}, USER: {INTENT: "danger"}}]): "utter_help",
        json.dumps([{PREVIOUS_ACTION: {ACTION_NAME: "utter_help"}}]): "action_listen",
    }
    index = build_index(lookup)
    state = {PREVIOUS_ACTION: {ACTION_NAME: "action_listen"}, USER: {INTENT: "danger"}}
    assert [lookup[key] for key in candidate_keys(index, state)] == ["utter_help"]
    assert candidate_keys(index, {PREVIOUS_ACTION: {ACTION_NAME: "utter_greet"}}) == set()


def test_config_yml_names_it_in_place_of_rule_policy_and_rasa_finds_it_as_one():
    policies = [policy["name"] for policy in yaml.safe_load((ROOT / "config.yml").read_text())["policies"]]
    assert "untangle_core.indexed_rule_policy.IndexedRulePolicy" in policies and "RulePolicy" not in policies
    registered = DefaultV1Recipe._from_registry("untangle_core.indexed_rule_policy.IndexedRulePolicy")
    assert registered.types == DefaultV1Recipe._from_registry("RulePolicy").types
    assert issubclass(registered.clazz, RulePolicy)  # how Rasa finds the rule-only data and checks forms


# The trained model's own rules (whichever of the two classes it was trained with).
TRAINED_MODEL = ROOT / "models" / "untangle.tar.gz"


@pytest.fixture(scope="module")
def model_rules(tmp_path_factory):
    if not TRAINED_MODEL.exists():
        pytest.fail(f"no trained model at {TRAINED_MODEL}: run `make train`", pytrace=False)
    _, runner = loader.load_predict_graph_runner(
        tmp_path_factory.mktemp("model"), TRAINED_MODEL, LocalModelStorage, DaskGraphRunner
    )
    trained_policy = next(
        node._component for node in runner._instantiated_nodes.values() if isinstance(node._component, RulePolicy)
    )
    return IndexedRulePolicy(
        trained_policy.config,
        trained_policy._model_storage,
        trained_policy._resource,
        ExecutionContext(GraphSchema({}), node_name="rule_policy"),
        lookup=trained_policy.lookup,
    )


def conversations_near_each_rule(rules: List[list]):
    """Each rule's own states, and the same with another intent, another previous action, no intent (as when
    matching by text) and no previous action (a conversation's start)."""
    intents = sorted({state[USER][INTENT] for states in rules for state in states if INTENT in state.get(USER, {})})
    actions = sorted(
        {
            state[PREVIOUS_ACTION][ACTION_NAME]
            for states in rules
            for state in states
            if ACTION_NAME in state.get(PREVIOUS_ACTION, {})
        }
    )
    for number, states in enumerate(rules):
        yield states
        current = states[-1]
        yield states[:-1] + [{**current, USER: {INTENT: intents[number % len(intents)]}}]
        yield states[:-1] + [{**current, PREVIOUS_ACTION: {ACTION_NAME: actions[number % len(actions)]}}]
        yield states[:-1] + [{key: value for key, value in current.items() if key != USER}]
        yield states[:-1] + [{key: value for key, value in current.items() if key != PREVIOUS_ACTION}]


def test_on_the_trained_models_rules_the_index_finds_what_rasa_finds(model_rules):
    lookup = model_rules.lookup[RULES]
    compared = found = 0
    for states in conversations_near_each_rule([json.loads(key) for key in lookup]):
        expected = RulePolicy._get_possible_keys(model_rules, lookup, states)
        assert model_rules._get_possible_keys(lookup, states) == expected, states
        compared, found = compared + 1, found + bool(expected)
    assert compared == 5 * len(lookup) > 500 and found >= len(lookup)  # every rule at least finds itself
