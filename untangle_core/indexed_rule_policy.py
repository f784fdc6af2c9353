"""IndexedRulePolicy: Rasa's RulePolicy, looking up the rules that can apply by last action and intent.

For every prediction RulePolicy tests each of its rules (about 200 in Untangle's model) against the conversation's
current state, once by intent and once by text: about a tenth of a turn's CPU here (docs/patches.md). A rule can
only apply if its last state's previous action and intent are the conversation's own (or the rule leaves them
open), so this policy indexes the rules by those two once per lookup table, and RulePolicy's own
`_get_possible_keys` then checks only the rules the index hands it. The result is the same set of rules, so the
same predictions; a conversation's first state (no previous action), which Rasa matches by other features, still
goes through every rule. Training, persistence and every other method are RulePolicy's.

Named in config.yml in place of `RulePolicy` (same options), so `rasa train`, `rasa test`, `rasa shell`, stock
`rasa run` and `python -m untangle_server.serve` all use it. Rasa finds it where it looks for a RulePolicy by
`issubclass` (the rule-only data, the forms check) and as its own class in the ensemble. Its training validator
compares classes with `==` in two places: the fallback-action check, which `RulePolicy.train` runs anyway, and a
warning that no RulePolicy is configured, which would be false here and is silenced below.
"""

from __future__ import annotations

import json
import warnings
from typing import Dict, List, Optional, Set, Text, Tuple

from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import State
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

# rasa.graph_components.validators.default_recipe_validator warns unless a policy's class *is* RulePolicy.
warnings.filterwarnings("ignore", message="'RulePolicy' is not included in the model's policy configuration")

# (previous action, intent); None where the rule leaves it open.
IndexKey = Tuple[Optional[Text], Optional[Text]]
RuleIndex = Dict[IndexKey, List[Text]]


def _required(state: State, sub_state: Text, key: Text) -> Optional[Text]:
    """The value a rule's state requires, or None if any value (or none) passes Rasa's check."""
    value = state.get(sub_state, {}).get(key)
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None


def build_index(lookup: Dict[Text, Text]) -> RuleIndex:
    """The lookup's rule keys by what their current state requires of the previous action and the intent."""
    index: RuleIndex = {}
    for rule_key in lookup:
        current_state = json.loads(rule_key)[-1]
        index_key = (_required(current_state, PREVIOUS_ACTION, ACTION_NAME), _required(current_state, USER, INTENT))
        index.setdefault(index_key, []).append(rule_key)
    return index


def candidate_keys(index: RuleIndex, conversation_state: State) -> Set[Text]:
    """Every rule that is not ruled out by the conversation's previous action and intent."""
    action = conversation_state.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
    intent = conversation_state.get(USER, {}).get(INTENT)
    candidates: Set[Text] = set()
    for index_key in {(action, intent), (action, None), (None, intent), (None, None)}:
        candidates.update(index.get(index_key, ()))
    return candidates


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class IndexedRulePolicy(RulePolicy):
    """RulePolicy that tests only the rules its index leaves in (the same rules apply, so the same predictions)."""

    def _index_for(self, lookup: Dict[Text, Text]) -> RuleIndex:
        # Two lookup tables (rules, and rules for a loop's unhappy path), fixed once loaded; training drops
        # contradicting rules from a table in place, so a table whose size changed is indexed again.
        indexes = self.__dict__.setdefault("_rule_indexes", {})
        table, size, index = indexes.get(id(lookup), (None, 0, {}))
        if table is not lookup or size != len(lookup):
            index = build_index(lookup)
            indexes[id(lookup)] = (lookup, len(lookup), index)
        return index

    def _get_possible_keys(self, lookup: Dict[Text, Text], states: List[State]) -> Set[Text]:
        if not states or not states[-1].get(PREVIOUS_ACTION):
            return super()._get_possible_keys(lookup, states)
        candidates = candidate_keys(self._index_for(lookup), states[-1])
        return super()._get_possible_keys({key: lookup[key] for key in candidates}, states)
