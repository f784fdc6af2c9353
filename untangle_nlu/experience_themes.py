"""ExperienceThemes: what a message describes ("kind then cruel", "reads my messages", "my boss"), as entities.

A person who describes what is happening, rather than asking a question, gets the intent `share_experience`; one
reply for all of those cannot fit what was said. This component finds the themes a message describes with spaCy's
Matcher (patterns in experience_themes.yml, written in the danger lexicon's notation) and sets one entity
`experience_theme` per theme, in the order they appear, so `action_heard_experience` can reflect the first and
offer the topics that fit. The entity never steers the rules (domain.yml); danger is the danger detector's.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Text

import spacy
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language
from spacy.matcher import Matcher

from untangle_nlu.danger_patterns import LexiconError, PatternCompiler

logger = logging.getLogger(__name__)

THEMES_FILE = Path(__file__).with_name("experience_themes.yml")
ENTITY = "experience_theme"


def read_themes(path: Path) -> Dict[str, Any]:
    table = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(table.get("themes"), dict):
        raise LexiconError(f"{path}: no `themes:` table")
    return table


def build_matcher(nlp: Language, table: Mapping[str, Any]) -> Matcher:
    """One Matcher rule per theme; an entry that cannot compile names its theme and pattern."""
    compiler = PatternCompiler(nlp, table.get("word_lists") or {})
    matcher = Matcher(nlp.vocab)
    for theme, patterns in table["themes"].items():
        compiled = []
        for pattern in patterns or []:
            try:
                compiled.extend(compiler.compile(pattern))
            except LexiconError as error:
                raise LexiconError(f"theme {theme}, pattern {pattern!r}: {error}") from error
        matcher.add(theme, compiled)
    return matcher


def themes_in(matcher: Matcher, doc: Any) -> List[Dict[str, Any]]:
    """Each theme once, where it first appears: [{"theme", "start", "end"}] in character offsets."""
    first: Dict[str, Dict[str, Any]] = {}
    for match_id, start, end in matcher(doc):
        theme = doc.vocab.strings[match_id]
        span = doc[start:end]
        if theme not in first or span.start_char < first[theme]["start"]:
            first[theme] = {"theme": theme, "start": span.start_char, "end": span.end_char}
    return sorted(first.values(), key=lambda found: found["start"])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP")
class ExperienceThemes(GraphComponent, EntityExtractorMixin):
    """Sets `experience_theme` entities for what a message describes."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"themes": None}  # a path; None: experience_themes.yml beside this module

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}
        self.path = Path(self.config["themes"] or THEMES_FILE)
        self.table = read_themes(self.path)
        self._nlp: Optional[Language] = None
        self._matcher: Optional[Matcher] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ExperienceThemes:
        component = cls(config)
        # Compile once with a blank pipeline so a broken table stops the server at start-up.
        build_matcher(spacy.blank("en"), component.table)
        return component

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        matcher = self._matcher_for(model.model)
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            doc = message.get(SPACY_DOCS[TEXT]) or model.model(text.lower())
            found = themes_in(matcher, doc)
            if found:
                entities = [self._entity(theme) for theme in found]
                message.set(ENTITIES, (message.get(ENTITIES) or []) + entities, add_to_output=True)
        return messages

    def _matcher_for(self, nlp: Language) -> Matcher:
        if self._matcher is None or self._nlp is not nlp:
            self._matcher, self._nlp = build_matcher(nlp, self.table), nlp
        return self._matcher

    def _entity(self, found: Dict[str, Any]) -> Dict[str, Any]:
        return {
            "entity": ENTITY,
            "value": found["theme"],
            "start": found["start"],
            "end": found["end"],
            "extractor": self.__class__.__name__,
        }
