"""MetadataCountry: the country the web widget sends with a message, as the entity `widget_country`.

The widget sends `metadata: {"country": "GB"}` with every message. This component turns it into an entity, so the
`widget_country` slot is filled by a plain `from_entity` mapping before any rule runs, and the domain's conditional
response variations (utter_crisis_essentials, utter_emergency_guidance, utter_must_go_now) show that country's
emergency number without any custom action (docs/safety.md, "Country"). Codes are ISO 3166 alpha-2; `UK` is `GB`.
Anything that is not a two-letter code is ignored, so the responses fall back to the international guidance.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    METADATA,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ALIASES = {"UK": "GB"}  # the code people (and some sites) use for the United Kingdom
CODE = re.compile(r"^[A-Z]{2}$")


def country_code(value: Any) -> Optional[Text]:
    """An ISO 3166 alpha-2 code from the metadata's value ("gb", " UK ") or None."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    code = ALIASES.get(code, code)
    return code if CODE.match(code) else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MetadataCountry(GraphComponent, EntityExtractorMixin):
    """Adds the entity `widget_country` from the message metadata's `country`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"metadata_key": "country", "entity": "widget_country"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MetadataCountry:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            metadata = message.get(METADATA)
            code = country_code(metadata.get(self.config["metadata_key"])) if isinstance(metadata, dict) else None
            if code:
                self._add_entity(message, code)
        return messages

    def _add_entity(self, message: Message, code: Text) -> None:
        # The metadata is not part of the text: the entity spans nothing.
        entity = {
            ENTITY_ATTRIBUTE_TYPE: self.config["entity"],
            ENTITY_ATTRIBUTE_VALUE: code,
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: 0,
            PREDICTED_CONFIDENCE_KEY: 1.0,
            EXTRACTOR: self.__class__.__name__,
        }
        others = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) != self.config["entity"]]
        message.set(ENTITIES, others + [entity], add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples have no metadata: nothing to add."""
        return training_data
