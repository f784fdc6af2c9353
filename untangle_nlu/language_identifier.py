"""LanguageIdentifier: a Rasa NLU graph component for messages not written in English (docs/safety.md).

Untangle speaks English only, but danger written in any language must still reach crisis lines. The component runs
after the `DangerDetector` and, for each message:
1. identifies its language (`language_detection.py`: py3langid, guarded so short or misspelt English stays English);
   a message in another language gets a `language` attribute and a `language` entity (ISO 639-1 code, "hi" or "ur"
   for Hindi/Urdu in Latin letters), which fills the `language` slot;
2. looks for danger with the other-language lexicon (`danger_lexicon_languages.yml`), in every language whose script
   the message uses, so danger is found even when the language could not be told; a finding marks the message with
   `danger_marking.mark_danger` (source `language:<code>`) unless the English detector already marked it at the same
   or a higher level;
3. gives a message in another language that mentions no urgent danger the `other_language` intent (confidence 1.0,
   on top of the ranking): the reply says, in that language, that Untangle speaks English only and where help is.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
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

from untangle_nlu.danger_lexicon_languages import (
    LANGUAGES_FILE,
    ROMANISED_HINDUSTANI,
    LanguageDangerLexicon,
    LanguageFinding,
    read_language_lexicon,
)
from untangle_nlu.danger_marking import URGENT, DangerMark, Mention, danger_of, give_way, mark_danger
from untangle_nlu.language_detection import WORD, LanguageDetection, LanguageGuess

logger = logging.getLogger(__name__)

LANGUAGE_ATTRIBUTE = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageIdentifier(GraphComponent, IntentClassifier):
    """Tells a message in another language, finds danger in it, and sets `other_language` when there is none."""

    @staticmethod
    def required_packages() -> List[Text]:
        return ["py3langid", "spacy"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # the intent a message in another language gets when it mentions no urgent danger
            "intent": "other_language",
            # the entity (and slot) holding the language's ISO 639-1 code
            "entity": "language",
            # py3langid's probability, among the languages with a lexicon and English, needed to leave English
            "min_confidence": 0.9,
            # the other-language danger lexicon; by default danger_lexicon_languages.yml beside this module
            "lexicon": None,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}
        self.detection = _detection(float(self.config["min_confidence"]))
        self.lexicon = _lexicon(Path(self.config["lexicon"] or LANGUAGES_FILE))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageIdentifier:
        return cls(config)  # builds the matchers now: a broken lexicon stops the server at start-up

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageIdentifier:
        return cls(config)  # nothing is trained: the model ships inside py3langid, the lexicon beside this module

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                self._process_one(message, text)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep the intents they were written with."""
        return training_data

    # --- one message ---------------------------------------------------------------------------------------------

    def _process_one(self, message: Message, text: Text) -> None:
        guess = self.detection.identify(text)
        finding = self._find_safely(text, guess.code if guess else None)
        language = guess.code if guess else _language_of_finding(finding, text)
        if language is None and (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.config["intent"]:
            give_way(message, dropped=(self.config["intent"],))  # the classifier's stand-in on an English message
        if language:
            self._set_language(message, language, guess)
        urgent_danger = (danger_of(message) or {}).get("level") == URGENT
        if finding and not urgent_danger:
            urgent_danger = finding.level == URGENT
            if language and not urgent_danger:
                self._set_other_language_intent(message)  # before the check-in, which keeps the intent it finds
            mark_danger(message, _mark(finding, language), extractor=self.__class__.__name__)
        elif language and not urgent_danger:
            self._set_other_language_intent(message)

    def _find_safely(self, text: Text, language: Optional[Text]) -> Optional[LanguageFinding]:
        """The lexicon's finding; if matching fails the message goes on without it (and the text is not logged)."""
        try:
            return self.lexicon.find(text, prefer=language)
        except Exception:  # noqa: BLE001 - a matcher failure must not lose the message
            logger.exception("The other-language danger lexicon failed on a message.")
            return None

    def _set_language(self, message: Message, language: Text, guess: Optional[LanguageGuess]) -> None:
        confidence = guess.confidence if guess else 1.0
        message.set(
            LANGUAGE_ATTRIBUTE,
            {"code": language, "confidence": confidence, "reason": guess.reason if guess else "danger lexicon"},
            add_to_output=True,
        )
        entities = [
            entity
            for entity in message.get(ENTITIES) or []
            if entity.get(ENTITY_ATTRIBUTE_TYPE) != self.config["entity"]
        ]
        entities.append(
            {
                ENTITY_ATTRIBUTE_TYPE: self.config["entity"],
                ENTITY_ATTRIBUTE_VALUE: language,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: len(message.get(TEXT) or ""),
                PREDICTED_CONFIDENCE_KEY: confidence,
                EXTRACTOR: self.__class__.__name__,
            }
        )
        message.set(ENTITIES, entities, add_to_output=True)

    def _set_other_language_intent(self, message: Message) -> None:
        name = self.config["intent"]
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent] + ranking, add_to_output=True)


@functools.cache
def _detection(min_confidence: float) -> LanguageDetection:
    return LanguageDetection(min_confidence=min_confidence)


@functools.cache
def _lexicon(path: Path) -> LanguageDangerLexicon:
    return LanguageDangerLexicon(read_language_lexicon(path))


def _language_of_finding(finding: Optional[LanguageFinding], text: Text) -> Optional[Text]:
    """The lexicon's language when the identifier could not tell ("mi picchia", "ele me bate"): only when the danger
    phrase is most of the message, so an English sentence quoting a few foreign words stays English."""
    if finding is None:
        return None
    matched = {word for match in finding.matches for word in WORD.findall(match.text.lower())}
    words = WORD.findall(text.lower())
    if not words or sum(word in matched for word in words) * 2 <= len(words):
        return None
    return "hi" if finding.language == ROMANISED_HINDUSTANI else finding.language


def _mark(finding: LanguageFinding, language: Optional[Text]) -> DangerMark:
    code = language or ("hi" if finding.language == ROMANISED_HINDUSTANI else finding.language)
    return DangerMark(
        level=finding.level,
        source=f"language:{code}",
        categories=finding.categories,
        mentions=tuple(Mention(match.category, match.text, match.start, match.end) for match in finding.matches),
        details={"language": code, "lexicon_section": finding.language},
    )
