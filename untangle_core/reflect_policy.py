"""ReflectPolicy: before the answer to a long message that also says how the person feels, one line reflecting it.

`LongMessageFocus` names the feeling of a long message that asks about a topic in the entity `reflect_feeling`
("i feel so stupid ... why do i keep going back?"). At the start of the reply this policy predicts
`action_reflect_feeling`, once per message. That action reverts itself (`ActionReverted`) after its line, so the
rules and stories then answer the question exactly as they would have without it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

REFLECT_ACTION = "action_reflect_feeling"
REFLECT_ENTITY = "reflect_feeling"


# The crisis flow's essentials come first: nothing is said before them.
CRISIS_INTENTS = frozenset({"danger", "help_now", "must_go_now"})


def wants_reflection(tracker: DialogueStateTracker) -> bool:
    """The latest message names a feeling to reflect, is not danger, and this reply has not reflected it yet."""
    message = tracker.latest_message
    if message is None or not any(entity.get("entity") == REFLECT_ENTITY for entity in message.entities or []):
        return False
    urgent = any(
        entity.get("entity") == "danger_level" and entity.get("value") == "urgent" for entity in message.entities or []
    )
    if urgent or (message.intent or {}).get("name") in CRISIS_INTENTS:
        return False
    for event in reversed(tracker.events):  # every event: the reflection reverted itself out of the applied ones
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted) and event.action_name == REFLECT_ACTION:
            return False
    return True


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class ReflectPolicy(Policy):
    """Predicts the reflection first in the reply to a message that names a feeling; nothing otherwise."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Above RulePolicy (6), whose rule for the message's intent would otherwise answer first.
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn: the NLU decides when there is a feeling to reflect

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if (
            REFLECT_ACTION in domain.action_names_or_texts
            and tracker.latest_action_name == ACTION_LISTEN_NAME
            and wants_reflection(tracker)
        ):
            probabilities[domain.index_for_action(REFLECT_ACTION)] = 1.0
            return self._prediction(probabilities, is_no_user_prediction=True)
        return self._prediction(probabilities)
