"""Being watched or sought out after a break-up, told calmly: the lexicon gives the check-in, not the urgent flow."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "blocked her on everything and she just made another new account",
        "he keeps setting up new profiles to message me",
        "i notice his car near my office most mornings",
        "she drove past our house three times on sunday",
        "he has been texting my sister about me nonstop",
    ],
)
def test_signs_of_being_watched_get_the_check_in(nlp, lexicon, text):
    finding = lexicon.find(nlp(text))
    assert finding is not None, text
    assert "threats" in finding.categories
    assert {match.level for match in finding.matches if match.category == "threats"} == {"check_in"}


@pytest.mark.parametrize(
    "text",
    [
        "i made a new account for my art",
        "my flatmate drove past the shops",
    ],
)
def test_everyday_versions_are_not_danger(nlp, lexicon, text):
    assert lexicon.find(nlp(text)) is None
