"""How a message is marked as mentioning danger, at one of two levels (docs/safety.md, "Two levels").

- `urgent`: the message gets the `danger` intent at confidence 1.0 on top of the ranking, so the rules start the
  crisis flow (essentials, lines, "are you safe right now?").
- `check_in`: the intent the classifiers chose is kept, so the reply answers what the person said; the entity
  `danger_level: check_in` makes `CheckInPolicy` add a short line and a compact card of the lines after that reply.

Both levels get the entities `danger_category`, `danger_subject` (`self` / `other`), `danger_negated` and
`danger_level`, and a `danger` attribute with the details (read by the referral actions). Pure functions over Rasa's
`Message`, shared by every component that finds danger (English lexicon, scorer, other languages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

DANGER_INTENT = "danger"
# "I need help now": the urgent flow by another name, so a check-in never falls back to it.
HELP_NOW_INTENT = "help_now"
# Below this the classifier's next intent is a guess: the message is treated as not understood (nlu_fallback), as
# config.yml's FallbackClassifier treats a first guess that weak.
GIVE_WAY_MIN_CONFIDENCE = 0.25
DANGER_ATTRIBUTE = "danger"
URGENT, CHECK_IN = "urgent", "check_in"
LEVELS = (URGENT, CHECK_IN)
CATEGORY_ENTITY, SUBJECT_ENTITY = "danger_category", "danger_subject"
NEGATED_ENTITY, LEVEL_ENTITY = "danger_negated", "danger_level"
OWN_ENTITIES = (CATEGORY_ENTITY, SUBJECT_ENTITY, NEGATED_ENTITY, LEVEL_ENTITY)
UNSPECIFIED = "unspecified"  # danger found without a category (the classifier or the scorer)


@dataclass(frozen=True)
class Mention:
    """One piece of text that mentions danger."""

    category: Text
    text: Text
    start: int
    end: int
    about_other: bool = False
    negated: bool = False


@dataclass(frozen=True)
class DangerMark:
    """What a component found: the categories (most urgent first), about whom, how, at which level, and why."""

    level: Text
    source: Text
    categories: Tuple[Text, ...] = (UNSPECIFIED,)
    about_other: bool = False
    negated: bool = False
    mentions: Tuple[Mention, ...] = ()
    details: Dict[Text, Any] = field(default_factory=dict)

    @property
    def category(self) -> Text:
        return self.categories[0]


def danger_of(message: Message) -> Optional[Dict[Text, Any]]:
    """The `danger` attribute a component set on this message, or None."""
    return message.get(DANGER_ATTRIBUTE)


def mark_danger(message: Message, mark: DangerMark, extractor: Text) -> None:
    """Mark a message as mentioning danger at `mark.level` (see the module docstring for what each level does)."""
    if mark.level not in LEVELS:
        raise ValueError(f"danger level must be one of {LEVELS}, not {mark.level!r}")
    before = dict(message.get(INTENT) or {})
    ranking = list(message.get(INTENT_RANKING_KEY) or [])
    classifier_confidence = next(
        (entry.get(PREDICTED_CONFIDENCE_KEY) for entry in ranking if entry.get(INTENT_NAME_KEY) == DANGER_INTENT), 0.0
    )
    if mark.level == URGENT:
        intent = {INTENT_NAME_KEY: DANGER_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        others = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != DANGER_INTENT]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + others, add_to_output=True)
    elif before.get(INTENT_NAME_KEY) == DANGER_INTENT:
        # a check-in answers what was said: the classifier's next intent, never the urgent flow by another name
        give_way(message, dropped=(DANGER_INTENT, HELP_NOW_INTENT))
    _set_entities(message, mark, extractor)
    message.set(
        DANGER_ATTRIBUTE,
        {
            "level": mark.level,
            "source": mark.source,
            "category": mark.category,
            "categories": list(mark.categories),
            "about_other": mark.about_other,
            "negated": mark.negated,
            "classifier_intent": before,
            "classifier_confidence": classifier_confidence,
            "matches": [
                {
                    "category": m.category,
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                    "about_other": m.about_other,
                    "negated": m.negated,
                }
                for m in mark.mentions
            ],
            **mark.details,
        },
        add_to_output=True,
    )


def give_way(message: Message, dropped: Sequence[Text] = (DANGER_INTENT,)) -> None:
    """The classifier's `danger` (or another dropped intent) gives way to its next intent, or to nlu_fallback when
    that is only a guess."""
    ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) not in dropped]
    if not ranking:
        return
    if (ranking[0].get(PREDICTED_CONFIDENCE_KEY) or 0.0) < GIVE_WAY_MIN_CONFIDENCE:
        unsure = {
            INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
            PREDICTED_CONFIDENCE_KEY: 1 - GIVE_WAY_MIN_CONFIDENCE,
        }
        ranking = [unsure, *(entry for entry in ranking if entry.get(INTENT_NAME_KEY) != unsure[INTENT_NAME_KEY])]
    message.set(INTENT, ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _set_entities(message: Message, mark: DangerMark, extractor: Text) -> None:
    text = message.get(TEXT) or ""
    first = next((m for m in mark.mentions if m.category == mark.category), None)
    start, end = (first.start, first.end) if first else (0, len(text))
    values = {
        CATEGORY_ENTITY: mark.category,
        SUBJECT_ENTITY: "other" if mark.about_other else "self",
        NEGATED_ENTITY: "true" if mark.negated else "false",
        LEVEL_ENTITY: mark.level,
    }
    entities: List[Dict[Text, Any]] = [
        entity for entity in message.get(ENTITIES) or [] if entity.get(ENTITY_ATTRIBUTE_TYPE) not in OWN_ENTITIES
    ]
    entities += [
        {
            ENTITY_ATTRIBUTE_TYPE: entity,
            ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_START: start,
            ENTITY_ATTRIBUTE_END: end,
            PREDICTED_CONFIDENCE_KEY: 1.0,
            EXTRACTOR: extractor,
        }
        for entity, value in values.items()
    ]
    message.set(ENTITIES, entities, add_to_output=True)
