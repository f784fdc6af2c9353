"""action_safety_planning_line: every safety-planning answer ends with the country's domestic abuse line."""

import pytest

from actions.safety.planning import TEXTS_FILE, ActionSafetyPlanningLine
from actions.texts import load_texts
from tests.support.actions import make_tracker, run_action, texts


@pytest.mark.parametrize(
    "country, number",
    [
        ("GB", "0808 2000 247"),
        ("US", "1-800-799-7233"),
        ("AU", "1800 737 732"),
        ("IE", "1800 341 900"),
        ("NZ", "0800 733 843"),
        ("CA", "sheltersafe.ca"),
    ],
)
async def test_the_line_of_the_country_the_person_named(dispatcher, country, number):
    events = await run_action(
        ActionSafetyPlanningLine(), dispatcher, make_tracker("ask_phone_safety", slots={"country": country})
    )
    assert len(texts(dispatcher)) == 1 and number in texts(dispatcher)[0]
    assert events == []


async def test_the_widget_country_is_used_and_remembered(dispatcher):
    tracker = make_tracker("ask_safety_plan_pack", metadata={"country": "nz"})
    events = await run_action(ActionSafetyPlanningLine(), dispatcher, tracker)
    assert "0800 733 843" in texts(dispatcher)[0]
    assert {"event": "slot", "name": "widget_country", "value": "NZ", "timestamp": None} in events


async def test_an_unknown_country_points_to_find_a_helpline(dispatcher):
    await run_action(ActionSafetyPlanningLine(), dispatcher, make_tracker("ask_money_housing"))
    assert texts(dispatcher) == [load_texts(TEXTS_FILE)["planning_line_unknown_country"]]
    assert "findahelpline.com" in texts(dispatcher)[0]


async def test_a_man_who_said_so_earlier_gets_the_mens_line(dispatcher):
    tracker = make_tracker("ask_leaving_safely", slots={"country": "IE"})
    tracker.events = [{"event": "user", "text": "i'm a guy and she controls everything", "parse_data": {}}]
    await run_action(ActionSafetyPlanningLine(), dispatcher, tracker)
    assert "01 554 3811" in texts(dispatcher)[0] and "1800 341 900" not in texts(dispatcher)[0]
