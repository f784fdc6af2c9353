"""Which crisis lines to show, for a country and the danger categories of a message (pure functions).

The rules are those at the bottom of ../shared/safety/crisis-lines.md:
- immediate danger: the emergency number first, then the specialist (domestic abuse) line;
- suicide or self-harm: the suicide/crisis line first, the text line next;
- partner violence, threats, stalking: the domestic abuse line first, and the emergency number;
- a child at risk: the child-protection line, and the emergency number;
- an unknown country: the international directory and 112/911 guidance, and the person is asked (never a guess);
- always a way to text or chat as well as to call.
Who is writing (actions/safety/writer.py) then decides which of a country's lines come first:
- a man gets the men's line before, and instead of, a women's line; a helper gets lines that take friends and family;
- a young person also gets the young people's line, an LGBTQ+ person the LGBTQ+ line beside the abuse line, and
  an older person the line for older people;
- someone who has hurt, or fears hurting, a partner gets the line for people who use abuse (or a crisis line where
  there is none) and the emergency number, and not victims' lines;
- at most MAX_LINES lines: lines for another audience go first, never the emergency number or the only text option.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

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

MAX_LINES = 4
# Steps for who is writing, and the line category that fits each writer group.
YOUNG = ("young_people",)
LGBTQ = ("lgbtq",)
OLDER = ("older_people",)
USES_ABUSE = ("uses_abuse", "crisis")  # a crisis line where the country has no line for people who use abuse
WRITER_STEPS = (("young", YOUNG), ("lgbtq", LGBTQ), ("older", OLDER))
WRITER_ONLY_STEPS = (YOUNG, LGBTQ, OLDER)
FITS = {
    "man": "men",
    "young": "young_people",
    "lgbtq": "lgbtq",
    "older": "older_people",
    "uses_abuse": "uses_abuse",
    "helper": "family_friends",
}
# Lines meant for one audience: dropped first when they do not fit the writer and there are too many lines.
AUDIENCES = {"men": "man", "lgbtq": "lgbtq", "older_people": "older", "uses_abuse": "uses_abuse"}
# What someone who uses abuse still needs for what else the message says.
KEPT_FOR_USES_ABUSE = {"self_harm": SUICIDE, "child_at_risk": CHILD}


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


def select_lines(
    table: CrisisTable, country: Optional[str], categories: Sequence[str], writer: FrozenSet[str] = frozenset()
) -> Selection:
    """The lines for a country, the categories of a message (most urgent first) and who is writing."""
    code = normalise_country(country)
    if not table.knows(code):
        return Selection(None, _pick(table.in_country(ANYWHERE), [EMERGENCY, ("directory",)]))
    steps = _steps(list(categories or ["unspecified"]), writer)
    lines = _ranked(table.in_country(code), writer)
    chosen = _audience_last(_without_unfitting(list(_pick(lines, steps)), writer), writer)
    if not any(line.can_text_or_chat for line in chosen):
        relevant = set(TEXT_FALLBACK).union(*steps)
        chosen += _text_option(table, code, relevant)
    # The first line of each step the message's categories need: left out last when there are too many lines.
    core = {line for step in steps if step not in WRITER_ONLY_STEPS for line in _pick(lines, [step])[:1]}
    return Selection(code, tuple(_trimmed(chosen, writer, core)))


def _steps(categories: List[str], writer: FrozenSet[str]) -> List[Tuple[str, ...]]:
    if "uses_abuse" in writer:
        return _steps_for_uses_abuse(categories, writer)
    steps: List[Tuple[str, ...]] = []
    for category in categories:
        steps += RULES.get(category, GENERAL)
    extra = [step for group, step in WRITER_STEPS if group in writer]
    first_main = next((index for index, step in enumerate(steps) if step != EMERGENCY), 0)
    return steps[: first_main + 1] + extra + steps[first_main + 1 :]


def _steps_for_uses_abuse(categories: List[str], writer: FrozenSet[str]) -> List[Tuple[str, ...]]:
    """The line for people who use abuse and the emergency number (first when someone is in danger now)."""
    steps = [EMERGENCY] if "immediate_danger" in categories else []
    steps.append(USES_ABUSE)
    steps += [KEPT_FOR_USES_ABUSE[category] for category in categories if category in KEPT_FOR_USES_ABUSE]
    steps += [YOUNG] if "young" in writer else []
    return steps + [EMERGENCY]


def _fit(line: CrisisLine, writer: FrozenSet[str]) -> int:
    return sum(1 for group in writer if FITS.get(group) in line.categories)


def _ranked(lines: Sequence[CrisisLine], writer: FrozenSet[str]) -> List[CrisisLine]:
    """The country's lines, those that fit the writer first (otherwise in the table's order)."""
    return sorted(lines, key=lambda line: -_fit(line, writer))


def _without_unfitting(chosen: List[CrisisLine], writer: FrozenSet[str]) -> List[CrisisLine]:
    """A man who has a men's line is not shown a line for women, and a woman is never shown a line for men."""
    if "man" in writer and any("men" in line.categories for line in chosen):
        return [line for line in chosen if "women" not in line.categories]
    if "woman" in writer and "man" not in writer:
        return [line for line in chosen if "men" not in line.categories]
    return chosen


def _for_another_audience(line: CrisisLine, writer: FrozenSet[str]) -> bool:
    return any(category in line.categories and group not in writer for category, group in AUDIENCES.items())


def _audience_last(chosen: List[CrisisLine], writer: FrozenSet[str]) -> List[CrisisLine]:
    """A men's line after the rest unless a man is writing: it does not push a young person's line down. (A line
    that also takes people who use abuse, as the US hotline does, is for everyone, so only "men" moves a line.)"""
    return sorted(chosen, key=lambda line: "men" in line.categories and "man" not in writer)


def _trimmed(chosen: List[CrisisLine], writer: FrozenSet[str], core: Set[CrisisLine]) -> List[CrisisLine]:
    lines = list(chosen)
    while len(lines) > MAX_LINES:
        spare = _spare_line(lines, writer, core)
        if spare is None:
            break
        lines.remove(spare)
    return lines


def _spare_line(lines: List[CrisisLine], writer: FrozenSet[str], core: Set[CrisisLine]) -> Optional[CrisisLine]:
    """The line to leave out first: one for another audience, else the last that neither fits the writer nor meets
    a need of the message, else the last writer's line, else the last one; never the first line, the emergency
    number or the only way to text or chat."""

    def kept(line: CrisisLine) -> bool:
        only_text = line.can_text_or_chat and sum(other.can_text_or_chat for other in lines) == 1
        return line is lines[0] or "emergency" in line.categories or only_text

    spare = [line for line in lines if not kept(line)]
    other_audience = [line for line in spare if _for_another_audience(line, writer)]
    extra = [line for line in spare if line not in core]
    not_fitting = [line for line in extra if _fit(line, writer) == 0]
    return (other_audience or not_fitting or extra or spare or [None])[-1]


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
