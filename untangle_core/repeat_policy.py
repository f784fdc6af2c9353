"""RepeatPolicy: the same question again, in other words, is not answered with the same text word for word.

When someone asks again what they have just asked (the same topic intent with the same entities, typed this time),
the first answer most likely missed what they meant. Instead of the same reply, this policy predicts
`action_answer_again` (actions/guide/likely_topics.py): one line saying the answer above is what there is on that,
and the likeliest other topics of the new wording as buttons. The answer after that is the usual one again, so
asking a third time is never a dead end.

It never acts on danger: a message with a danger level keeps the crisis flow or its check-in, which follows the
usual reply. The topic intents are those with a button title (`topics_file`); they are read when the policy is
trained and kept in the model, so the served model does not read the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Text, Tuple

import yaml
from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from untangle_core.reflect_policy import wants_reflection
from untangle_core.stored_names import store_names, stored_names

REPEAT_ACTION = "action_answer_again"
TOPICS_FILE = "topic_intents.json"
# Entities that do not change what was asked: the danger detector's, the reflected feeling, the widget's country.
NOT_ASKED = ("danger_", "reflect_feeling", "widget_country")


def asked(event: UserUttered) -> Tuple[Optional[Text], FrozenSet[Tuple[Text, Text]]]:
    """What a message asks: its intent and the entities that say what about (a stage, a context)."""
    entities = frozenset(
        (str(entity.get("entity")), str(entity.get("value")))
        for entity in event.entities or []
        if not str(entity.get("entity")).startswith(NOT_ASKED)
    )
    return (event.intent or {}).get("name"), entities


def typed(event: UserUttered) -> bool:
    """Typed by the person, not a button's `/intent` payload."""
    return bool(event.text) and not event.text.startswith("/")


def has_danger(event: UserUttered) -> bool:
    return any(str(entity.get("entity")).startswith("danger_") for entity in event.entities or [])


def last_two_messages(tracker: DialogueStateTracker) -> Tuple[List[UserUttered], bool]:
    """The latest two user messages, newest first, and whether the reply between them was already this policy's."""
    messages: List[UserUttered] = []
    answered_again = False
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered):
            messages.append(event)
            if len(messages) == 2:
                break
        elif messages and isinstance(event, ActionExecuted) and event.action_name == REPEAT_ACTION:
            answered_again = True
    return messages, answered_again


def asks_again(tracker: DialogueStateTracker, topics: FrozenSet[Text]) -> bool:
    messages, answered_again = last_two_messages(tracker)
    if len(messages) < 2 or answered_again:
        return False
    latest, before = messages
    intent, _ = asked(latest)
    # the first of the two may be a button ("Helping someone else", then "but what do I say to her?")
    return intent in topics and typed(latest) and not has_danger(latest) and asked(latest) == asked(before)


def read_topic_intents(path: Path) -> FrozenSet[Text]:
    return frozenset((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("titles") or {})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RepeatPolicy(Policy):
    """Predicts `action_answer_again` for a topic asked twice in a row, then listens; nothing otherwise."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Above RulePolicy (6), whose rule for the intent would otherwise give the same answer again.
        return {"priority": 7, "topics_file": "actions/guide/topic_titles.yml"}

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
        topics: Optional[FrozenSet[Text]] = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.topics = frozenset(topics or ())

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        self.topics = read_topic_intents(Path(self.config["topics_file"])) & frozenset(domain.intents)
        store_names(self._model_storage, self._resource, TOPICS_FILE, self.topics)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RepeatPolicy:
        topics = stored_names(model_storage, resource, TOPICS_FILE)  # untrained: none, so it never acts
        return cls(config, model_storage, resource, execution_context, topics=topics)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if REPEAT_ACTION not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        if tracker.latest_action_name == REPEAT_ACTION:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
            return self._prediction(probabilities)
        if (
            tracker.latest_action_name == ACTION_LISTEN_NAME
            and not wants_reflection(tracker)
            and asks_again(tracker, self.topics)
        ):
            probabilities[domain.index_for_action(REPEAT_ACTION)] = 1.0
            return self._prediction(probabilities, is_no_user_prediction=True)
        return self._prediction(probabilities)
