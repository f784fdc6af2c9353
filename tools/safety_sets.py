"""Labelled safety sets in their two formats, read as one kind of row (for tools.safety_eval).

- The project's own sets (tests/safety/*.jsonl): `{"text", "danger": true|false, "category", "tags", ["kind"],
  ["level"]}`.
- The realistic dev set (../shared/safety/realistic-dev.jsonl, kept outside the project): `{"id", "label":
  "danger"|"safe", "kind", "text"}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

FIGURATIVE = "figurative"  # a kind or category of a harmless use of a danger word ("kill a process")


@dataclass(frozen=True)
class Row:
    text: str
    danger: bool
    kind: str = "other"
    category: Optional[str] = None
    level: Optional[str] = None  # the level a set expects, when it says
    tags: Tuple[str, ...] = field(default_factory=tuple)

    @property
    def figurative(self) -> bool:
        return not self.danger and (FIGURATIVE in self.kind or FIGURATIVE in (self.category or ""))


def read_rows(path: Path) -> List[Row]:
    """Every labelled line of a set; a clear error naming the line when one cannot be read."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(_row(json.loads(line)))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: {error}") from None
    return rows


def _row(item: dict) -> Row:
    if not isinstance(item.get("text"), str):
        raise ValueError("each line needs a `text`")
    if isinstance(item.get("danger"), bool):
        danger = item["danger"]
    elif item.get("label") in ("danger", "safe"):
        danger = item["label"] == "danger"
    else:
        raise ValueError("each line needs `danger: true|false` or `label: danger|safe`")
    kind = str(item.get("kind") or "other").replace(" ", "_")
    return Row(item["text"], danger, kind, item.get("category"), item.get("level"), tuple(item.get("tags") or ()))
