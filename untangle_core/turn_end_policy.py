"""TurnEndPolicy: the base of Untangle's policies that act once the reply to a message is complete.

"Complete" means the last action is one that the training stories and rules end a turn with: the policy learns
those actions (`turn_ends`) when it is trained and keeps them in its model storage. Rasa's own actions other than
`action_listen` (fallbacks, restarts) may end a turn too.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Text

from rasa.core.policies.policy import Policy, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, DEFAULT_ACTION_NAMES
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.stored_names import store_names, stored_names

TURN_ENDS_FILE = "turn_ends.json"
DEFAULT_TURN_ENDS = frozenset(name for name in DEFAULT_ACTION_NAMES if name != ACTION_LISTEN_NAME)


def turn_ends(trackers: Iterable[DialogueStateTracker]) -> FrozenSet[Text]:
    """The actions that are followed by `action_listen` somewhere in the training stories and rules."""
    ends = set()
    for tracker in trackers:
        previous = None
        for event in tracker.events:
            if not isinstance(event, ActionExecuted) or not event.action_name:
                continue
            if event.action_name == ACTION_LISTEN_NAME and previous not in (None, ACTION_LISTEN_NAME):
                ends.add(previous)
            previous = event.action_name
    return frozenset(ends)


class TurnEndPolicy(Policy):
    """Learns and keeps the actions that end a turn; subclasses predict with `self.turn_ends`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Above RulePolicy (6), so the policy comes before the `action_listen` that would end the turn.
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
        learned_turn_ends: Optional[FrozenSet[Text]] = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.turn_ends = frozenset(learned_turn_ends or ()) | DEFAULT_TURN_ENDS

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        self.turn_ends = turn_ends(training_trackers) | DEFAULT_TURN_ENDS
        store_names(self._model_storage, self._resource, TURN_ENDS_FILE, self.turn_ends)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TurnEndPolicy:
        learned = stored_names(model_storage, resource, TURN_ENDS_FILE)  # untrained: only Rasa's own actions
        return cls(config, model_storage, resource, execution_context, learned_turn_ends=learned)
