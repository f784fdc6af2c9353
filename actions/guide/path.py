"""The guided path as data: the ordered steps from steps.yml and how to find one.

Pure functions and frozen data, no Rasa imports, so the rules of the path are easy to test.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

STEPS_FILE = Path(__file__).with_name("steps.yml")
RELATED_STEPS_FILE = Path(__file__).with_name("related_steps.yml")
TEXTS_FILE = Path(__file__).with_name("texts.yml")

# Number words a person may type for a stage ("stage four", "the fourth stage").
STAGE_NUMBER_WORDS = {
    "one": 1,
    "first": 1,
    "two": 2,
    "second": 2,
    "three": 3,
    "third": 3,
    "four": 4,
    "fourth": 4,
    "five": 5,
    "fifth": 5,
    "six": 6,
    "sixth": 6,
    "seven": 7,
    "seventh": 7,
    "last": 7,
    "final": 7,
}


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    section: str
    intents: Tuple[str, ...] = ()
    text: str = ""
    more: str = ""
    stage: Optional[int] = None
    stage_name: Optional[str] = None


@dataclass(frozen=True)
class GuidePath:
    steps: Tuple[Step, ...]
    related: Dict[str, str] = field(default_factory=dict)

    def get(self, name: Optional[str]) -> Optional[Step]:
        return next((step for step in self.steps if step.name == name), None)

    def next(self, step: Step) -> Optional[Step]:
        index = self.steps.index(step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def previous(self, step: Step) -> Optional[Step]:
        index = self.steps.index(step)
        return self.steps[index - 1] if index > 0 else None

    def for_intent(self, intent: Optional[str], current: Optional[Step]) -> Optional[Step]:
        """The step a typed question leads to; where two steps share an intent, prefer the current section."""
        candidates = [step for step in self.steps if intent in step.intents]
        in_section = [step for step in candidates if current and step.section == current.section]
        return (in_section or candidates or [None])[0]

    def stage(self, number: int) -> Optional[Step]:
        return next((step for step in self.steps if step.stage == number), None)

    def stage_named(self, name: str) -> Optional[Step]:
        wanted = normalise_stage_name(name)
        return next((s for s in self.steps if s.stage_name and normalise_stage_name(s.stage_name) == wanted), None)

    def related_step(self, intent: Optional[str]) -> Optional[Step]:
        return self.get(self.related.get(intent or ""))


def normalise_stage_name(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalpha())


# Numbers outside the seven that a person may type ("stage nine"): said to be no stage rather than ignored.
OTHER_NUMBER_WORDS = {"zero": 0, "eight": 8, "eighth": 8, "nine": 9, "ninth": 9, "ten": 10, "tenth": 10}


def named_number(value: object) -> Optional[int]:
    """The number in "4", "4th", "four", "fourth" or "nine", whether or not it is a stage; None for no number."""
    text = str(value).strip().lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else STAGE_NUMBER_WORDS.get(text, OTHER_NUMBER_WORDS.get(text))


def parse_stage_number(value: object) -> Optional[int]:
    """1-7 from "4", "4th", "four" or "fourth"; None for anything else."""
    number = named_number(value)
    return number if number is not None and 1 <= number <= 7 else None


def _read_steps(path: Path) -> Tuple[Step, ...]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["steps"]
    return tuple(Step(**{**row, "intents": tuple(row.get("intents", ()))}) for row in rows)


@functools.cache
def load_path(steps_file: Path = STEPS_FILE, related_file: Path = RELATED_STEPS_FILE) -> GuidePath:
    """The guided path, read once per process (actions are called for every message)."""
    related = yaml.safe_load(related_file.read_text(encoding="utf-8"))["related_steps"]
    return GuidePath(steps=_read_steps(steps_file), related=related)
