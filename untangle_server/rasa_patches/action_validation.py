"""Check action replies against Rasa's schema compiled once, and each event against its own event type's part.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate`, which re-checks the large
events schema against the JSON Schema meta-schema and builds a new validator on every custom action call:
about 20 ms per call on a 2-core machine, more than the rest of the turn. The schema is compiled once here.

Even compiled, each event is checked against all 23 alternatives of the schema's `oneOf`, one per event type,
to find the single one it matches (about 0.3 ms a reply). Every alternative fixes the `event` name to its own
constant, so an event can only match the alternative of its own name: the event is checked against the common
part of the schema and that alternative alone, which is the same verdict (test_action_validation.py checks the
schema still has that shape). A reply with an event name of no alternative, or any reply that fails, goes
through Rasa's own method, so it fails with Rasa's own error.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Optional

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_rasa_validate_action_result = RemoteAction._validate_action_result


def _compiled(schema: Dict[str, Any]) -> Any:
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@functools.lru_cache(maxsize=1)
def compiled_validator() -> Any:
    return _compiled(RemoteAction.action_response_format_spec())


@functools.lru_cache(maxsize=1)
def split_validators() -> Optional[tuple]:
    """(the reply without its events' items, {event name: the validator of that event type}), or None if the
    schema is not a `oneOf` of alternatives with one distinct `event` constant each."""
    spec = RemoteAction.action_response_format_spec()
    items = spec["properties"]["events"]["items"]
    alternatives = items.get("oneOf")
    names = [alternative.get("properties", {}).get("event", {}).get("const") for alternative in alternatives or []]
    if not alternatives or None in names or len(set(names)) != len(names):
        return None
    common = {key: value for key, value in items.items() if key != "oneOf"}
    reply = {
        **spec,
        "properties": {**spec["properties"], "events": {**spec["properties"]["events"], "items": {"type": "object"}}},
    }
    return _compiled(reply), {
        name: _compiled({**common, "allOf": [alternative]})
        for name, alternative in zip(names, alternatives, strict=True)
    }


def is_valid(result: Any) -> bool:
    """Whether the reply meets Rasa's schema (False also when only the full check can tell)."""
    split = split_validators()
    if split is None:
        return compiled_validator().is_valid(result)
    reply_validator, event_validators = split
    if not reply_validator.is_valid(result):
        return False
    for event in result.get("events") or []:
        validator = event_validators.get(event.get("event"))
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate_action_result(action: RemoteAction, result: Dict[str, Any]) -> bool:
    if is_valid(result):
        return True
    return _rasa_validate_action_result(action, result)


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
