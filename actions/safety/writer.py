"""Who is writing, read from the message text: the groups that choose which crisis lines fit (pure functions).

`read_writer(text)` returns a frozenset of WRITER_GROUPS:
- `man`, `young` (an age from 13 to 24, or at school), `lgbtq`, `older` (an age from 65): lines for men, young people,
  LGBTQ+ people, older people first;
- `uses_abuse`: the writer has hurt, or fears hurting, a partner or family member: the line for people who use
  abuse instead of victims' lines (never when the writer is also being hurt);
- `helper`: the writer asks for someone else.
`is_under_18(text, earlier)` says whether the writer is a child or teenager (for answers that differ for them).
The patterns are in writer_patterns.yml; the words of the message are never logged or kept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Optional, Pattern, Tuple

import yaml

PATTERNS_FILE = Path(__file__).with_name("writer_patterns.yml")
WRITER_GROUPS = ("man", "young", "lgbtq", "older", "uses_abuse", "helper")
# Groups that describe the person (kept across messages) rather than what the latest message says.
LASTING_GROUPS = frozenset({"man", "young", "lgbtq", "older"})
YOUNG_AGES = range(13, 25)
OLDER_AGES = range(65, 100)
ADULT_AGE = 18

_AGE_WORDS = r"(?:i'm|im|i am)(?: only| just)?"
_NOT_AN_AGE = (
    r"(?!\s*(?:%|percent|weeks?|months?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|miles?|km|kms|"
    r"metres|meters|feet|ft|stone|kg|kilos|pounds|lbs|grand|quid|dollars|bucks|k\b|x\b|times|am\b|pm\b|"
    r"[:.,]\d|years? (?:in|into|with|together|married|clean|sober|of)))"
)
_AGE = re.compile(rf"\b{_AGE_WORDS}\s+(\d{{1,2}})\b(?:\s*(?:years?|yrs?) old|\s*y/?o\b)?{_NOT_AN_AGE}")
# "(17f)", "[32M]", "32m here", "I (28F) and my bf (30M)": an age-and-sex marker.
_MARKER = re.compile(r"[(\[]\s*(\d{2})\s*([mf])\s*[)\]]|\b(\d{2})\s?([mf])\b|(?<![\w'])([mf])\s?(\d{2})\b")
_MARKER_OWNER_BEFORE = re.compile(r"(?:^|\b(?:i|me|myself|i'm|im|i am))\W*$")
_MARKER_OWNER_AFTER = re.compile(r"^\W*here\b")


@dataclass(frozen=True)
class WriterPatterns:
    groups: Dict[str, Tuple[Pattern[str], ...]]
    not_before: Dict[str, Tuple[Pattern[str], ...]]
    cancelled_by: Dict[str, Tuple[str, ...]]


def read_writer(text: Optional[str], earlier: Iterable[Optional[str]] = ()) -> FrozenSet[str]:
    """The groups the writer belongs to, from the latest message and (for lasting groups) the earlier ones."""
    groups = set(_groups_in(text))
    for message in earlier:
        groups |= _groups_in(message) & LASTING_GROUPS
    return frozenset(groups)


def _groups_in(text: Optional[str]) -> FrozenSet[str]:
    message = _clean(text)
    if not message:
        return frozenset()
    patterns = load_patterns()
    found = {name for name in patterns.groups if _matches(patterns, name, message)}
    for group, cancelling in patterns.cancelled_by.items():
        if found.intersection(cancelling):
            found.discard(group)
    sex, age = _marker(message)
    age = _stated_age(message) or age
    is_woman = "woman" in found or sex == "f"
    is_man = "man" in found or sex == "m"
    groups = set(found) & set(WRITER_GROUPS)
    if "at_school" in found:
        groups.add("young")
    if is_man or ("female_partner" in found and not is_woman):
        groups.add("man")
    if (is_woman and "female_partner" in found) or (is_man and "male_partner" in found):
        groups.add("lgbtq")
    if age is not None:  # a stated age wins over school words ("my mum's boyfriend" from an adult)
        groups.discard("young")
        if age in YOUNG_AGES:
            groups.add("young")
        if age in OLDER_AGES:
            groups.add("older")
    if "uses_abuse" in groups:
        groups.discard("helper")  # "i pushed her" is about the writer's own behaviour, not a worried friend's
    return frozenset(groups)


def latest_age(text: Optional[str], earlier: Iterable[Optional[str]] = ()) -> Optional[int]:
    """The age the writer stated last ("im 19", "F24"), or None."""
    for message in [message for message in map(_clean, [text, *reversed(list(earlier))]) if message]:
        age = _stated_age(message) or _marker(message)[1]
        if age is not None:
            return age
    return None


def is_under_18(text: Optional[str], earlier: Iterable[Optional[str]] = ()) -> bool:
    """Whether the writer is a child or teenager: the latest stated age decides ("im 15"), else school words."""
    earlier = list(earlier)
    age = latest_age(text, earlier)
    if age is not None:
        return age < ADULT_AGE
    messages = [message for message in map(_clean, [text, *earlier]) if message]
    return any(_matches(load_patterns(), "at_school", message) for message in messages)


def _clean(text: Optional[str]) -> str:
    lowered = str(text or "").lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", lowered).strip()


def _matches(patterns: WriterPatterns, group: str, message: str) -> bool:
    blockers = patterns.not_before.get(group, ())
    for pattern in patterns.groups[group]:
        for match in pattern.finditer(message):
            before = message[: match.start()]
            if not any(blocker.search(before) for blocker in blockers):
                return True
    return False


def _stated_age(message: str) -> Optional[int]:
    match = _AGE.search(message)
    return int(match.group(1)) if match else None


def _marker(message: str) -> Tuple[Optional[str], Optional[int]]:
    """The writer's own age-and-sex marker: first in the message, after "I"/"me", or followed by "here"."""
    for match in _MARKER.finditer(message):
        age, sex = (
            (match.group(1), match.group(2))
            if match.group(1)
            else ((match.group(3), match.group(4)) if match.group(3) else (match.group(6), match.group(5)))
        )
        if _MARKER_OWNER_BEFORE.search(message[: match.start()]) or _MARKER_OWNER_AFTER.search(message[match.end() :]):
            return sex, int(age)
    return None, None


@functools.cache
def load_patterns(path: Path = PATTERNS_FILE) -> WriterPatterns:
    """The pattern table, its word lists filled in and compiled (read once per process)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    words = {name: f"(?:{value})" for name, value in (data.get("word_lists") or {}).items()}

    def compile_all(sources) -> Tuple[Pattern[str], ...]:
        return tuple(re.compile(source.format(**words)) for source in sources)

    return WriterPatterns(
        groups={name: compile_all(sources) for name, sources in data["groups"].items()},
        not_before={name: compile_all(sources) for name, sources in (data.get("not_before") or {}).items()},
        cancelled_by={
            name: (value,) if isinstance(value, str) else tuple(value)
            for name, value in (data.get("cancelled_by") or {}).items()
        },
    )
