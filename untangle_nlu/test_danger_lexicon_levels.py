"""Entries whose level matters to the person: asked-about police calls and a known workplace get the check-in, a
threat that they are "next" the urgent flow, and "I'm afraid" alone no card at all."""

from __future__ import annotations

import pytest

from untangle_nlu.danger_lexicon import read_lexicon


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
        # trial 12: one past bruise told as a memory got the urgent flow, and the question beside it no answer
        "and once when i switched my phone off he grabbed my arm and left a bruise",
        "there was a time she slapped me in the car",
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


@pytest.mark.parametrize(
    "text",
    ["i want to die", "honestly so tired of living like this", "im done with life", "he laid hands on me again"],
)
def test_wishes_to_die_and_hands_laid_on_are_urgent(lexicon, nlp, text):
    assert level(lexicon, nlp, text) == "urgent"


def test_no_entry_is_listed_at_both_levels_of_a_category():
    """An entry at both levels matched the same words twice, and which one was kept depended on set order, so the
    same message got the urgent flow from one server process and the check-in from another."""
    both = {}
    for name, spec in read_lexicon()["categories"].items():
        urgent = {str(e) for e in (spec.get("phrases") or []) + (spec.get("patterns") or [])}
        check_in = {str(e) for e in (spec.get("check_in_phrases") or []) + (spec.get("check_in_patterns") or [])}
        if urgent & check_in:
            both[name] = sorted(urgent & check_in)
    assert both == {}


@pytest.mark.parametrize(
    "text",
    [
        "my last two partners emotionally abused me, i see that now",
        "she verbally abuses me when she is stressed",
        "it hurts me to see my friends pull away",
        "he picks cruel words to hurt me whenever we argue",
        "honestly she hurt me emotionally more than anyone",
        "my brother says i pushed him out.",
        "if i end it, would that push him over the edge",
        "my best mate pushed me out of his life",
    ],
)
def test_hurt_feelings_and_emotional_abuse_get_no_card(lexicon, nlp, text):
    assert level(lexicon, nlp, text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he pushed me out of the car", "urgent"),
        ("he emotionally abused me and then he hit me", "urgent"),
        ("it hurt me when he grabbed me", "urgent"),
        ("he physically abused me", "urgent"),
        ("he hurt me", "check_in"),
    ],
)
def test_physical_harm_beside_those_words_still_counts(lexicon, nlp, text, expected):
    assert level(lexicon, nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "when i said no he put his fist through the kitchen door. it scared me",
        "she punched a hole in the bedroom wall during the row",
        "he smashed the front window when i got home late",
    ],
)
def test_violence_aimed_at_the_house_gets_the_check_in(lexicon, nlp, text):
    assert level(lexicon, nlp, text) == "check_in"


def test_a_hole_in_the_wall_for_a_shelf_gets_no_card(lexicon, nlp):
    assert level(lexicon, nlp, "we put a hole in the wall for the new shelf") is None
