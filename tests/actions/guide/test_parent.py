import pytest

from actions.guide.parent import ActionAnswerParentBoundaries, young_people_lines
from actions.safety.table import load_crisis_lines
from tests.support.actions import guide_text, make_tracker, run_action, texts


def asking(text, earlier=(), country=None):
    tracker = make_tracker("ask_parent_boundaries", text=text, metadata={"country": country} if country else None)
    tracker.events = [{"event": "user", "text": said} for said in [*earlier, text]]
    return tracker


async def test_an_adult_hears_that_the_amount_of_contact_is_their_choice(dispatcher):
    await run_action(ActionAnswerParentBoundaries(), dispatcher, asking("how do i set boundaries with my mum, im 34"))
    assert texts(dispatcher) == [guide_text("parent_boundaries_adult"), guide_text("parent_boundaries_adult_help")]


@pytest.mark.parametrize(
    "text, earlier",
    [
        ("how do i deal with her when i live with her and im 15", ()),
        ("how do i cope with my dad", ("im in year 10 and my dad screams at me every night",)),
        ("what do i do about my mum", ("i'm 16 btw",)),
    ],
)
async def test_a_teenager_hears_about_safe_adults_and_young_peoples_lines_not_adult_choices(dispatcher, text, earlier):
    await run_action(ActionAnswerParentBoundaries(), dispatcher, asking(text, earlier, country="GB"))
    said = texts(dispatcher)
    assert said[0] == guide_text("parent_boundaries_young")
    assert "As an adult" not in " ".join(said)
    assert "Childline" in said[1]


async def test_a_later_adult_age_wins_over_school_words(dispatcher):
    tracker = asking("how much contact should i keep with my dad", ("when i was in high school he hit me", "im 29 now"))
    await run_action(ActionAnswerParentBoundaries(), dispatcher, tracker)
    assert texts(dispatcher)[0] == guide_text("parent_boundaries_adult")


async def test_without_a_country_a_teenager_is_told_where_to_find_a_line(dispatcher):
    await run_action(ActionAnswerParentBoundaries(), dispatcher, asking("im 14 how do i handle my mum"))
    assert texts(dispatcher) == [guide_text("parent_boundaries_young"), guide_text("parent_boundaries_young_no_lines")]


@pytest.mark.parametrize(
    "country, expected", [("GB", "Childline"), ("US", "Childhelp"), ("CA", "Kids Help Phone"), ("AU", "Kids Helpline")]
)
def test_young_peoples_lines_are_for_young_people_not_for_worried_adults_or_emergencies(country, expected):
    lines = young_people_lines(load_crisis_lines(), country)
    assert lines and expected in lines[0]
    assert not any("adults worried about a child" in line or "Emergency services" in line for line in lines)
