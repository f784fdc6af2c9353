"""Look up the rules that can apply to a conversation by its last action and intent, instead of testing every rule.

For every prediction RulePolicy tests each of its rules (196 in Untangle's model) against the conversation's
current state, once by intent and once by text: about 15 % of a turn's time here. A rule can only apply if its
last state's previous action and intent are the conversation's own (or the rule leaves them open), so the rules
are indexed by those two once per lookup table, and Rasa's own `_get_possible_keys` then checks only the rules
the index hands it. The result is the same set of rules; a conversation's first state (no previous action), which
Rasa matches by other features, still goes through every rule.
"""
from __future__ import annotations

import json
from typing import Dict, List, Optional, Set, Text, Tuple

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import State
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

INDEX_ATTRIBUTE = "_untangle_rule_index"
_rasa_get_possible_keys = RulePolicy._get_possible_keys

# (previous action, intent); None where the rule leaves it open.
IndexKey = Tuple[Optional[Text], Optional[Text]]


def _required(state: State, sub_state: Text, key: Text) -> Optional[Text]:
    """The value a rule's state requires, or None if any value (or none) passes Rasa's check."""
    value = state.get(sub_state, {}).get(key)
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None


def build_index(lookup: Dict[Text, Text]) -> Dict[IndexKey, List[Text]]:
    """The lookup's rule keys by what their current state requires of the previous action and the intent."""
    index: Dict[IndexKey, List[Text]] = {}
    for rule_key in lookup:
        current_state = json.loads(rule_key)[-1]
        index_key = (_required(current_state, PREVIOUS_ACTION, ACTION_NAME), _required(current_state, USER, INTENT))
        index.setdefault(index_key, []).append(rule_key)
    return index


def candidate_keys(index: Dict[IndexKey, List[Text]], conversation_state: State) -> Set[Text]:
    """Every rule that is not ruled out by the conversation's previous action and intent."""
    action = conversation_state.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
    intent = conversation_state.get(USER, {}).get(INTENT)
    candidates: Set[Text] = set()
    for index_key in {(action, intent), (action, None), (None, intent), (None, None)}:
        candidates.update(index.get(index_key, ()))
    return candidates


def _index_for(policy: RulePolicy, lookup: Dict[Text, Text]) -> Dict[IndexKey, List[Text]]:
    # A policy has two lookup tables (rules, and rules for a loop's unhappy path); both are fixed once it is loaded.
    indexes = policy.__dict__.setdefault(INDEX_ATTRIBUTE, {})
    table, index = indexes.get(id(lookup), (None, None))
    if table is not lookup:
        index = build_index(lookup)
        indexes[id(lookup)] = (lookup, index)
    return index


def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[State]) -> Set[Text]:
    if not states or not states[-1].get(PREVIOUS_ACTION):
        return _rasa_get_possible_keys(self, lookup, states)
    candidates = candidate_keys(_index_for(self, lookup), states[-1])
    return _rasa_get_possible_keys(self, {key: lookup[key] for key in candidates}, states)


def install() -> None:
    RulePolicy._get_possible_keys = get_possible_keys
