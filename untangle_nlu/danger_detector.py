"""DangerDetector: a Rasa NLU graph component that lets no mention of danger pass unnoticed (docs/safety.md).

It runs last in the NLU pipeline, after the FallbackClassifier, and has two layers, each useful alone:
1. the reviewed lexicon (`danger_lexicon.yml`), matched with spaCy's Matcher and PhraseMatcher over the LOWER, NORM and
   LEMMA of the doc SpacyNLP made: a match sets the `danger` intent with confidence 1.0 at the top of the ranking,
   whatever the classifier said;
2. the classifier's own ranking: when `danger` is among its top `promote_top_k` intents with at least
   `promote_min_confidence`, danger is promoted over `nlu_fallback` or any other top intent (the policy leans to
   danger when unsure).
A danger message also gets the entities `danger_category`, `danger_subject` (`self` / `other`) and `danger_negated`
(`true` / `false`) so slots can be filled, and a `danger` attribute with the details of what matched.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
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
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language

from untangle_nlu.danger_lexicon import LEXICON_FILE, DangerFinding, DangerLexicon, read_lexicon

logger = logging.getLogger(__name__)

DANGER_ATTRIBUTE = "danger"
CATEGORY_ENTITY, SUBJECT_ENTITY, NEGATED_ENTITY = "danger_category", "danger_subject", "danger_negated"
OWN_ENTITIES = (CATEGORY_ENTITY, SUBJECT_ENTITY, NEGATED_ENTITY)
UNSPECIFIED = "unspecified"  # the classifier found danger the lexicon has no words for


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False, model_from="SpacyNLP"
)
class DangerDetector(GraphComponent, IntentClassifier):
    """Sets the danger intent on any message that mentions danger; the classifier cannot override it."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # the lexicon file; by default danger_lexicon.yml beside this module
            "lexicon": None,
            # the intent a danger message gets
            "intent": "danger",
            # Without a lexicon match, the classifier's `danger` counts when it is among its top k intents with at
            # least `min_confidence`, or `unsure_min_confidence` when the pipeline fell back (unsure of everything).
            # A classifier `danger` below that, or on a known harmless use ("hit me up"), gives way to the next
            # intent. Floors chosen on tests/safety/dev.jsonl (docs/safety.md).
            "promote_top_k": 3,
            "min_confidence": 0.5,
            "unsure_min_confidence": 0.15,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}
        self.lexicon_path = Path(self.config["lexicon"] or LEXICON_FILE)
        self._nlp: Optional[Language] = None
        self._lexicon: Optional[DangerLexicon] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerDetector:
        detector = cls(config)
        # Compile once with a blank pipeline so a broken lexicon stops the server at start-up, not mid-conversation.
        DangerLexicon(spacy.blank("en"), read_lexicon(detector.lexicon_path))
        return detector

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        lexicon = self._lexicon_for(model.model)
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            doc = message.get(SPACY_DOCS[TEXT]) or model.model(text.lower())
            finding, harmless_use = self._read_safely(lexicon, doc)
            if finding is not None:
                self._mark(message, finding, source="lexicon")
            elif self._classifier_says_danger(message) and not harmless_use:
                self._mark(message, None, source="classifier", about_other=lexicon.about_someone_else(doc))
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.config["intent"]:
                self._give_way(message)
        return messages

    @staticmethod
    def _read_safely(lexicon: DangerLexicon, doc: Any) -> Any:
        """The lexicon's reading; if it fails, no finding, so the classifier layer still decides.

        A failure here must never lose the message (and with it a possible crisis referral). The message
        text is not logged: conversation text stays out of the logs.
        """
        try:
            return lexicon.read(doc)
        except Exception:  # noqa: BLE001 - any matcher failure falls back to the classifier layer
            logger.exception("The danger lexicon failed on a message; the classifier layer decides alone.")
            return None, False

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep the intents they were written with."""
        return training_data

    # --- helpers -----------------------------------------------------------------------------------------------

    def _lexicon_for(self, nlp: Language) -> DangerLexicon:
        if self._lexicon is None or self._nlp is not nlp:
            self._lexicon = DangerLexicon(nlp, read_lexicon(self.lexicon_path))
            self._nlp = nlp
        return self._lexicon

    def _classifier_says_danger(self, message: Message) -> bool:
        """`danger` high in the classifier's own ranking: top k, above the floor (a lower one when it fell back)."""
        unsure = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME
        floor = self.config["unsure_min_confidence" if unsure else "min_confidence"]
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or []
                   if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
        return any(
            entry.get(INTENT_NAME_KEY) == self.config["intent"]
            and (entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= floor
            for entry in ranking[: self.config["promote_top_k"]]
        )

    def _give_way(self, message: Message) -> None:
        """The classifier alone said danger, too weakly or on a harmless use: its next intent is taken instead."""
        name = self.config["intent"]
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != name]
        if not ranking:
            return
        dropped = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY)
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        logger.debug(f"classifier danger ({dropped}) below the floor or a harmless use: {ranking[0]}")

    def _mark(
        self, message: Message, finding: Optional[DangerFinding], source: Text, about_other: bool = False
    ) -> None:
        """Danger on top of the ranking at confidence 1.0, the entities, and the `danger` attribute."""
        name = self.config["intent"]
        before = dict(message.get(INTENT) or {})
        classifier_confidence = next((entry.get(PREDICTED_CONFIDENCE_KEY) for entry in message.get(
            INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) == name), 0.0)
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)

        text = message.get(TEXT)
        category = finding.category if finding else UNSPECIFIED
        about_other = finding.about_other if finding else about_other
        negated = finding.negated if finding else False
        first = next((m for m in finding.matches if m.category == category), None) if finding else None
        start, end = (first.start_char, first.end_char) if first else (0, len(text))
        values = {CATEGORY_ENTITY: category, SUBJECT_ENTITY: "other" if about_other else "self",
                  NEGATED_ENTITY: "true" if negated else "false"}
        entities = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) not in OWN_ENTITIES]
        entities += [{ENTITY_ATTRIBUTE_TYPE: entity, ENTITY_ATTRIBUTE_VALUE: value, ENTITY_ATTRIBUTE_START: start,
                      ENTITY_ATTRIBUTE_END: end, PREDICTED_CONFIDENCE_KEY: 1.0, EXTRACTOR: self.__class__.__name__}
                     for entity, value in values.items()]
        message.set(ENTITIES, entities, add_to_output=True)
        message.set(DANGER_ATTRIBUTE, {
            "source": source,
            "category": category,
            "categories": list(finding.categories) if finding else [UNSPECIFIED],
            "about_other": about_other,
            "negated": negated,
            "classifier_intent": before,
            "classifier_confidence": classifier_confidence,
            "matches": [{"category": m.category, "text": m.text, "start": m.start_char, "end": m.end_char,
                         "about_other": m.about_other, "negated": m.negated}
                        for m in (finding.matches if finding else ())],
        }, add_to_output=True)
        logger.debug(f"danger ({source}): {category}, about other: {about_other}, negated: {negated}")
