"""Building a Rasa graph component the way Rasa's recipe does, for the component tests."""

from __future__ import annotations

from typing import Any, Dict

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource


def make_component(component: Any, config: Dict[str, Any], storage: LocalModelStorage, name: str) -> Any:
    """`component.create` with its defaults under `config`, a resource and an execution context named `name`."""
    context = ExecutionContext(GraphSchema({}), node_name=name)
    return component.create({**component.get_default_config(), **config}, storage, Resource(name), context)
