"""OpeningPolicy: a first message that is not a greeting is answered first, then gets the opening's privacy notice
and "is it safe to chat?" check (docs/conversation.md, "Opening").

A greeting gets the whole opening from its rule (data/rules/opening.yml) and danger or "I need help now" the crisis
flow, so those are left alone. For any other first message of a session, once its reply is complete (the last action
is one the training data ends a turn with, as CheckInPolicy learns them), this policy predicts `utter_privacy_short`
and then `utter_ask_safe_to_chat`, whose answer the opening rules read. "First" counts from Rasa's
`action_session_start`, which every real session begins with; training and test stories have none, so they are
unaffected unless they start with it.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, Optional, Text

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.turn_end_policy import TurnEndPolicy

PRIVACY_ACTION, SAFE_TO_CHAT_ACTION = "utter_privacy_short", "utter_ask_safe_to_chat"
# First messages that get an opening of their own.
# These open the conversation their own way: the privacy notice would only stand between the person and help.
OWN_OPENING_INTENTS = frozenset({"greet", "danger", "help_now", "must_go_now"})


def first_message_of_session(tracker: DialogueStateTracker) -> Optional[UserUttered]:
    """The session's only user message so far, if the opening has not been shown since the session started."""
    message = None
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME:
            return message
        if isinstance(event, ActionExecuted) and event.action_name in (PRIVACY_ACTION, SAFE_TO_CHAT_ACTION):
            return None
        if isinstance(event, UserUttered):
            if message is not None:
                return None
            message = event
    return None


def next_opening_action(tracker: DialogueStateTracker, reply_ends: FrozenSet[Text]) -> Optional[Text]:
    """The opening action due now, if any (the privacy notice is only ever sent by the opening)."""
    last_action = tracker.latest_action_name
    if last_action == ACTION_SESSION_START_NAME:
        # the server listens after a session starts without asking; a test story that starts with one asks
        return ACTION_LISTEN_NAME
    if last_action == PRIVACY_ACTION:
        return SAFE_TO_CHAT_ACTION
    if last_action not in reply_ends or tracker.active_loop_name:
        return None
    message = first_message_of_session(tracker)
    if message is None or message.intent_name in OWN_OPENING_INTENTS:
        return None
    return PRIVACY_ACTION


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class OpeningPolicy(TurnEndPolicy):
    """Predicts the privacy notice and the safe-to-chat check after the reply to a first non-greeting message."""

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = next_opening_action(tracker, self.turn_ends)
        if action and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
            return self._prediction(probabilities, is_no_user_prediction=action != ACTION_LISTEN_NAME)
        return self._prediction(probabilities)
