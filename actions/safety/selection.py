"""Which crisis lines to show, for a country and the danger categories of a message (pure functions).

The rules are those at the bottom of ../shared/safety/crisis-lines.md:
- immediate danger: the emergency number first, then the specialist (domestic abuse) line;
- suicide or self-harm: the suicide/crisis line first, the text line next;
- partner violence, threats, stalking: the domestic abuse line first, and the emergency number;
- a child at risk: the child-protection line, and the emergency number;
- an unknown country: the international directory and 112/911 guidance, and the person is asked (never a guess);
- always a way to text or chat as well as to call.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple

from actions.safety.table import ANYWHERE, CrisisLine, CrisisTable

# What each danger category needs, in order. Each step names line categories in order of preference: the lines of
# the first one the country has are shown ("suicide" lines, or else general "crisis" lines).
EMERGENCY = ("emergency",)
ABUSE = ("partner_abuse",)
SUICIDE = ("suicide", "crisis")
TEXT = ("text_line",)
SEXUAL = ("sexual_violence",)
CHILD = ("child_abuse", "young_people")
CRISIS = ("crisis", "suicide")

RULES: Dict[str, Tuple[Tuple[str, ...], ...]] = {
    "immediate_danger": (EMERGENCY, ABUSE),
    "self_harm": (SUICIDE, TEXT, EMERGENCY),
    "child_at_risk": (CHILD, EMERGENCY),
    "sexual_violence": (SEXUAL, ABUSE, EMERGENCY),
    "harm_to_others": (CRISIS, TEXT, EMERGENCY),
    "violence": (ABUSE, EMERGENCY),
    "threats": (ABUSE, EMERGENCY),
}
# "I need help now", or danger the lexicon has no category for: a bit of everything, most urgent first.
GENERAL = (EMERGENCY, SUICIDE, ABUSE)
# Lines that can always be offered when a selection has no way to text or chat (with those of its own categories).
TEXT_FALLBACK = ("text_line", "crisis")
COUNTRY_ALIASES = {"UK": "GB", "EN": "GB", "USA": "US"}


@dataclass(frozen=True)
class Selection:
    country: Optional[str]  # None when the country is unknown
    lines: Tuple[CrisisLine, ...]

    @property
    def country_known(self) -> bool:
        return self.country is not None


def normalise_country(value: object) -> Optional[str]:
    """ "gb", "GB", "uk" -> "GB"; anything that is not a two-letter code -> None."""
    code = str(value or "").strip().upper()
    code = COUNTRY_ALIASES.get(code, code)
    return code if len(code) == 2 and code.isalpha() else None


def select_lines(table: CrisisTable, country: Optional[str], categories: Sequence[str]) -> Selection:
    """The lines for a country and the categories of a message (most urgent category first)."""
    code = normalise_country(country)
    if not table.knows(code):
        return Selection(None, _pick(table.in_country(ANYWHERE), [EMERGENCY, ("directory",)]))
    steps: List[Tuple[str, ...]] = []
    for category in categories or ["unspecified"]:
        steps += RULES.get(category, GENERAL)
    chosen = list(_pick(table.in_country(code), steps))
    if not any(line.can_text_or_chat for line in chosen):
        relevant = set(TEXT_FALLBACK).union(*steps)
        chosen += _text_option(table, code, relevant)
    return Selection(code, tuple(chosen))


def _pick(lines: Sequence[CrisisLine], steps: Sequence[Tuple[str, ...]]) -> Tuple[CrisisLine, ...]:
    chosen: List[CrisisLine] = []
    for preferences in steps:
        for category in preferences:
            matching = [line for line in lines if category in line.categories]
            if matching:
                chosen += [line for line in matching if line not in chosen]
                break
    return tuple(chosen)


def _text_option(table: CrisisTable, country: str, relevant: Set[str]) -> List[CrisisLine]:
    """One line to text or chat that fits the message, or else the international directory (it lists them)."""
    for line in table.in_country(country):
        if line.can_text_or_chat and relevant.intersection(line.categories):
            return [line]
    return [line for line in table.in_country(ANYWHERE) if "directory" in line.categories][:1]
