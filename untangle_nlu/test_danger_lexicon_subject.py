"""Who danger found by the scorer (no lexicon match) is about: the card is framed for a helper only when the message
names someone else at risk (trial 7 sent "it's caring of you to look out for them" to a woman whose husband took
her car keys)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, about_other",
    [
        ("my husband took my car keys so i cant go out", False),
        ("is it normal to feel angry at him a year later", False),
        ("i am safe. please stop. i want to know about my boyfriend", False),
        ("she said once he punched a wall when she wanted a weekend away", False),
        ("he took my phone and wont give it back", False),
        ("her husband hits her", True),
        ("my sister's husband hits her", True),
        ("i think my friend is being hurt at home", True),
        ("im scared for my daughter when he drinks", True),
    ],
)
def test_a_helper_framing_needs_someone_else_named(nlp, lexicon, text, about_other):
    assert lexicon.about_someone_else(nlp(text)) is about_other


def test_only_the_sentence_the_scorer_found_is_read(nlp, lexicon):
    text = "i just want my sister to know a bit. how do i get my keys back without a row"
    doc = nlp(text)
    start = text.index("how")
    assert lexicon.about_someone_else(doc) is True
    assert lexicon.about_someone_else(doc, start, len(text)) is False
