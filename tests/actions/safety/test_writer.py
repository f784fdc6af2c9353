"""Who is writing, read from the message (actions/safety/writer.py): realistic wordings and their look-alikes."""

import pytest

from actions.safety.writer import read_writer


@pytest.mark.parametrize(
    "text",
    [
        "i'm a guy and my wife hits me when she's been drinking",
        "as a man nobody believes me when i say she scares me",
        "my wife hits me and i dont know who to tell",
        "(32m) my girlfriend threw a plate at my head last night",
        "M29 here. my gf locks me out and screams at me",
        "Im a 40 year old man and my partner slaps me",
    ],
)
def test_a_man_is_read_as_a_man(text):
    assert "man" in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "my husband (35M) hit me again",  # the marker is his, not the writer's
        "my brother's girlfriend hits him",  # about someone else's partner
        "i'm a woman and my husband shoves me",
        "I (28F) and my boyfriend (30M) argue and he pushed me",
        "i'm 30 and my mum's boyfriend hit her",  # "i'm 30" is an age, not "m 30"
    ],
)
def test_these_are_not_read_as_a_man(text):
    assert "man" not in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "i'm 19 and my boyfriend hit me",
        "I (17f) and my bf (19m) fight a lot and he slapped me",
        "17F here, my ex keeps threatening me",
        "im in year 10 and my mums boyfriend hits me",
        "I'm in 10th grade and he choked me",
        "i'm only 14 and my stepdad hits me",
        "i am 15 years old and scared of him",
        "i’m 22m and my bf choked me",
    ],
)
def test_a_young_writer_is_read_from_their_age_or_school(text):
    assert "young" in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "he's 19 and he hit me",  # someone else's age
        "i'm 19 weeks pregnant and he pushed me",
        "i'm 5 minutes away from his house and scared",
        "we've been together 19 years and he hits me",
        "i was 15 when it started and now he hits our kids",  # an age back then
        "i'm 30 and my mum's boyfriend hit her",  # an adult's own age wins over "my mum's boyfriend"
        "i'm 100% sure he'll hurt me",
        "i'm 25 and he strangled me",
    ],
)
def test_numbers_that_are_not_a_young_writers_age(text):
    assert "young" not in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "i'm gay and my boyfriend hurts me",
        "my boyfriend and i are both guys and he hit me",
        "i'm trans and my partner threatens to out me",
        "i'm a woman and my girlfriend hits me",
        "in a same-sex relationship and she choked me",
        "i'm bi and my gf pushed me down",
    ],
)
def test_an_lgbtq_writer_is_read_as_lgbtq(text):
    assert "lgbtq" in read_writer(text)


@pytest.mark.parametrize("text", ["im 72 and my son takes my pension", "I am 81, my daughter shouts at me"])
def test_a_writer_who_gives_an_age_from_65_is_read_as_older(text):
    assert "older" in read_writer(text)


@pytest.mark.parametrize("text", ["im 34 and my son is a teenager", "married 72 years", "i'm 65 days out"])
def test_these_are_not_read_as_older(text):
    assert "older" not in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "my boyfriend hit me",
        "i'm panicking, my husband has a knife",
        "my girlfriend hits me",  # read as a man, not as LGBTQ+
    ],
)
def test_these_are_not_read_as_lgbtq(text):
    assert "lgbtq" not in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "i hit her",
        "i pushed her down the stairs",
        "I’ve pushed my wife before when we argue",
        "i'm scared i'll hurt my partner",
        "how do i stop being abusive",
        "i lose my temper and grab her arm",
        "i think i'm the abuser in this relationship",
        "i slapped my girlfriend and i hate myself",
    ],
)
def test_someone_who_uses_abuse_is_read_as_such(text):
    assert "uses_abuse" in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "i hit the wall so hard my hand bled",
        "he hit her in front of me",
        "she says i hit her but i never did",
        "he told everyone i pushed him",
        "he was choking me so i hit him",  # the writer is being hurt: victims' lines first
        "i'd never hit her",
        "i kicked them out of the house",
        "i hurt her feelings and she cried",
        "i pushed him away when he grabbed me",
    ],
)
def test_these_are_not_read_as_using_abuse(text):
    assert "uses_abuse" not in read_writer(text)


@pytest.mark.parametrize(
    "text",
    [
        "my sister's husband hits her",
        "i'm worried about my friend, her bf hits her",
        "how can i help my daughter, her boyfriend strangled her",
    ],
)
def test_someone_asking_for_another_person_is_a_helper(text):
    assert "helper" in read_writer(text)


def test_a_child_hurt_by_their_mums_boyfriend_is_not_a_helper():
    assert read_writer("my mum's boyfriend hits me") == {"young"}


def test_lasting_groups_come_from_earlier_messages_but_not_what_happened():
    earlier = ["i'm 19 btw", "i pushed him once", "as a guy it's hard to say this"]
    assert read_writer("he hit me last night", earlier) == {"young", "man"}


def test_empty_and_missing_text():
    assert read_writer(None) == frozenset() and read_writer("") == frozenset()
