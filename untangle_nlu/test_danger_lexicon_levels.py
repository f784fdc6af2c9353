"""Entries whose level matters to the person: asked-about police calls and a known workplace get the check-in, a
threat that they are "next" the urgent flow, and "I'm afraid" alone no card at all."""

from __future__ import annotations

import pytest


def level(lexicon, nlp, text):
    finding = lexicon.find(nlp(text))
    return None if finding is None else finding.level


@pytest.mark.parametrize(
    "text",
    [
        "should i call the police if i see more marks on her",
        "we called the police last year and nothing happened",
        "can i change my number without him knowing? he knows where i work",
        "she found out where i live now",
        "im kinda scared to go home after school today",
    ],
)
def test_asked_about_or_told_in_passing_gets_the_check_in(lexicon, nlp, text):
    assert level(lexicon, nlp, text) == "check_in"


@pytest.mark.parametrize(
    "text",
    ["he said id be next if i didnt shut up", "after he hit mum he told me i'll be next", "she said i'd be next"],
)
def test_being_told_you_are_next_is_urgent(lexicon, nlp, text):
    assert level(lexicon, nlp, text) == "urgent"


@pytest.mark.parametrize(
    "text",
    ["i'm afraid i don't really know what a trauma bond is", "i'm next in the queue lol", "i am afraid of spiders"],
)
def test_everyday_wordings_get_no_card(lexicon, nlp, text):
    assert level(lexicon, nlp, text) is None
