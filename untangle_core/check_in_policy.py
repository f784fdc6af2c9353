"""CheckInPolicy: after the reply to a message with a danger check-in, the check-in (docs/safety.md, "Two levels").

A message that mentions danger at the `check_in` level keeps its own intent, so the rules and stories answer what
the person said. When that answer is complete, this policy predicts `action_crisis_check_in` (one warm line and a
compact card of the lines), once per message. "Complete" means the last action is one that the training stories and
rules end a turn with: this policy learns those actions when it is trained.

The check-in action reverts itself (`ActionReverted`) after sending its messages, so the conversation's state, and
every rule and story that reads it, is the same as if only the reply had been sent; the person still sees the card.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.turn_end_policy import TurnEndPolicy

CHECK_IN_ACTION = "action_crisis_check_in"
LEVEL_ENTITY, CHECK_IN = "danger_level", "check_in"


# Actions that show the lines: an answer to them that names no danger of its own ("yes im safe hes at work till 6",
# which the scorer may still find worth a check-in) gets no second card straight after the first.
LINES_ACTIONS = frozenset({"action_crisis_referral", "action_crisis_answer", "action_warning_sign", CHECK_IN_ACTION})
UNNAMED = "unspecified"


def lines_just_shown(tracker: DialogueStateTracker) -> bool:
    """The bot turn before the latest message showed the crisis lines."""
    users = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            users += 1
            if users == 2:
                return False
        elif users == 1 and isinstance(event, ActionExecuted) and event.action_name in LINES_ACTIONS:
            return True
    return False


def wants_check_in(tracker: DialogueStateTracker) -> bool:
    """The latest message carries a check-in that has not been given yet."""
    message = tracker.latest_message
    if message is None:
        return False
    levels = {entity.get("entity"): entity.get("value") for entity in message.entities or []}
    if levels.get(LEVEL_ENTITY) != CHECK_IN:
        return False
    if levels.get("danger_category", UNNAMED) == UNNAMED and lines_just_shown(tracker):
        return False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted) and event.action_name in LINES_ACTIONS:
            return False  # given already, or the reply showed the lines itself ("is the neck thing serious?")
    return True


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class CheckInPolicy(TurnEndPolicy):
    """Predicts the check-in once the reply to a check-in message is complete; nothing otherwise."""

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        last_action = tracker.latest_action_name
        if (
            CHECK_IN_ACTION in domain.action_names_or_texts
            and last_action in self.turn_ends
            and wants_check_in(tracker)
        ):
            probabilities[domain.index_for_action(CHECK_IN_ACTION)] = 1.0
            # RulePolicy's end of a rule may count as a "no user" prediction, which outranks all others: so is this.
            return self._prediction(probabilities, is_no_user_prediction=True)
        return self._prediction(probabilities)
