"""Phones type curly apostrophes ("don’t", "I’m"): the pipeline reads them as the straight ones, so a negation or a
contraction means the same to the danger lexicon either way."""

from __future__ import annotations

import pytest


def reading(lexicon, nlp, text):
    finding = lexicon.find(nlp(text))
    return None if finding is None else (finding.level, finding.negated, finding.categories)


@pytest.mark.parametrize(
    "straight",
    [
        "he doesn't hit me, he just sulks",
        "i'm going to kill myself tonight",
        "he won't let me leave the flat",
        "she's going to kill me when she finds out",
        "i don't want to die, i just want it to stop",
        "i've been cutting again",
        "he'll hurt me if i go",
    ],
)
def test_a_curly_apostrophe_reads_like_a_straight_one(lexicon, nlp, straight):
    assert reading(lexicon, nlp, straight.replace("'", "\u2019")) == reading(lexicon, nlp, straight)


def test_a_curly_negation_is_a_negation(lexicon, nlp):
    assert reading(lexicon, nlp, "he doesn\u2019t hit me")[1] is True


@pytest.mark.parametrize(
    "text, curly, norm, lemma",
    [("i don\u2019t mind", "n\u2019t", "not", "not"), ("i\u2019m fine", "\u2019m", "am", "be")],
)
def test_curly_contractions_get_the_norm_and_lemma_of_the_straight_ones(nlp, text, curly, norm, lemma):
    token = [token for token in nlp(text) if token.lower_ == curly][0]
    assert (token.norm_, token.lemma_) == (norm, lemma)
