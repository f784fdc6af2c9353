"""Reply texts that only custom actions choose, kept in YAML tables beside the actions that send them.

`domain.yml` holds the replies that rules send; Rasa's validator expects every domain response to
appear in a story or rule, so texts picked at run time by an action live here instead.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk.executor import CollectingDispatcher


@functools.cache
def load_texts(path: Path) -> Dict[str, Any]:
    """The `texts:` table of a YAML file, read once per process."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))["texts"]


def say(
    dispatcher: CollectingDispatcher,
    table: Dict[str, Any],
    key: str,
    buttons: Optional[List[Dict[str, str]]] = None,
    **values: Any,
) -> None:
    """Send text `key` of `table`, filling `{placeholders}` from `values`; the table's own buttons come first."""
    entry = table[key]
    text = entry["text"] if isinstance(entry, dict) else entry
    own_buttons = entry.get("buttons", []) if isinstance(entry, dict) else []
    dispatcher.utter_message(text=text.format(**values), buttons=own_buttons + (buttons or []))
