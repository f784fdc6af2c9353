"""A sorted list of names (actions, intents) that a policy learns when it is trained and keeps in its model storage."""

from __future__ import annotations

import json
from typing import FrozenSet, Iterable, Text

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def store_names(model_storage: ModelStorage, resource: Resource, file_name: Text, names: Iterable[Text]) -> None:
    with model_storage.write_to(resource) as directory:
        (directory / file_name).write_text(json.dumps(sorted(names)), encoding="utf-8")


def stored_names(model_storage: ModelStorage, resource: Resource, file_name: Text) -> FrozenSet[Text]:
    """The names stored by `store_names`; none when the policy was never trained."""
    try:
        with model_storage.read_from(resource) as directory:
            return frozenset(json.loads((directory / file_name).read_text(encoding="utf-8")))
    except (ValueError, OSError):
        return frozenset()
