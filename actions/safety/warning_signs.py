"""Serious warning signs in what the person wrote (docs/safety.md, "Warning signs").

Some things advocates take most seriously when someone is being hurt by a partner or family member: being strangled
or choked, a gun in the home, threats to kill, violence that is getting worse or more frequent, and danger around
separating (the risk factors of risk-assessment tools such as the Danger Assessment). When a message names one,
the referral says so plainly, as general information, never as a verdict or a score, with a short text per sign
(`warning_sign_<key>` in texts.yml). The signs are read from the danger detector's matches and the message text.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, Text, Tuple

# Most serious first; the referral names at most MAX_SIGNS of them, so a reply stays bubble-sized.
SIGNS: Tuple[Tuple[Text, Text], ...] = (
    (
        "strangulation",
        r"\bstrang\w*|\bchok(e|ed|es|ing)\b|\bthrottl\w*|\bheadlock|"
        r"\b(hands?|arms?|forearm|belt|cord|rope)\b[^.?!]{0,25}\b(neck|throat)\b|"
        r"\b(round|around|on|squeez\w*|grab\w*|press\w*)\b (my|her|his|their|the) (neck|throat)\b|"
        r"\bneck thing\b|\bcould ?n[o']?t breathe\b",
    ),
    ("gun", r"\b(guns?|firearms?|rifles?|shotguns?|pistols?|handguns?|revolvers?)\b|\bgun licen[cs]e\b"),
    (
        "threat_to_kill",
        r"\b(kill|murder|end)(ing)? (me|us|you|her|the kids|my \w+)\b|\bi('?m| am) dead\b|"
        r"\b(threat\w*|promis\w*|swore|swear\w*) to (kill|murder)\b",
    ),
    (
        "escalation",
        r"\b(getting|got|gets|get) (worse|more violent|rougher)\b|\bworse and worse\b|\bescalat\w*|"
        r"\bmore (and more )?(often|violent)\b|\bworse (each|every) time\b",
    ),
    (
        "separation",
        r"\b(if|when|since|after|because) i (ever )?(try to |tried to |want to )?"
        r"(leave|left|leaving|split|go|went)\b|\bseparat\w*|\bdivorc\w*|"
        r"\b(broke|break|breaking) up with\b|\bsince (we|i) (split|broke up)\b",
    ),
)
SIGN_PATTERNS = tuple((key, re.compile(pattern, re.IGNORECASE)) for key, pattern in SIGNS)
MAX_SIGNS = 2
# Categories where these signs are not about being hurt by someone (the writer's own safety or urges).
NOT_ABOUT_BEING_HURT = ("self_harm", "harm_to_others")


def find_signs(texts: Iterable[Optional[Text]]) -> List[Text]:
    """The signs named anywhere in `texts`, most serious first."""
    joined = " \n ".join(text for text in texts if text)
    return [key for key, pattern in SIGN_PATTERNS if pattern.search(joined)]


def signs_in_danger(details: Dict[Text, Any], text: Optional[Text]) -> List[Text]:
    """The signs of a message the danger detector marked: from its matches and the message text, unless the danger
    is only the writer's own (self-harm, wanting to hurt someone)."""
    categories: Sequence[Text] = details.get("categories") or [details.get("category") or "unspecified"]
    if categories and categories[0] in NOT_ABOUT_BEING_HURT:
        return []
    matches = [match.get("text") for match in details.get("matches") or []]
    return find_signs(matches + [text])[:MAX_SIGNS]


def sign_text_keys(signs: Sequence[Text]) -> List[Text]:
    return [f"warning_sign_{sign}" for sign in signs[:MAX_SIGNS]]
