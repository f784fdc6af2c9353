import pytest

from actions.safety.emergency_text import ActionEmergencyByText, answer_text, load_table
from actions.safety.table import load_crisis_lines
from tests.support.actions import entity, make_tracker, run_action, texts


def country_text(code):
    return load_table()["countries"][code]["text"]


@pytest.mark.parametrize(
    "code, route",
    [("GB", "register"), ("IE", "112"), ("AU", "0423 677 767"), ("NZ", "111"), ("CA", "T9-1-1"), ("US", "911")],
)
def test_each_country_gets_its_own_way_to_text_the_emergency_services(code, route):
    assert route in answer_text(code)


@pytest.mark.parametrize("code", [None, "", "ZZ"])
def test_an_unknown_country_gets_the_general_answer_that_asks_for_it(code):
    assert answer_text(code) == load_table()["unknown_country"]
    assert "country" in answer_text(code)


async def test_a_deaf_person_in_australia_learns_the_sms_relay_number_from_the_widget_country(dispatcher):
    tracker = make_tracker("ask_emergency_by_text", text="im deaf can i text 000", metadata={"country": "AU"})
    await run_action(ActionEmergencyByText(), dispatcher, tracker)
    assert texts(dispatcher) == [country_text("AU")]


async def test_a_country_named_in_the_message_wins_over_the_widget_and_is_remembered(dispatcher):
    tracker = make_tracker(
        "ask_emergency_by_text", entities=[entity("country", "IE")], metadata={"country": "GB"}, text="in ireland"
    )
    events = await run_action(ActionEmergencyByText(), dispatcher, tracker)
    assert texts(dispatcher) == [country_text("IE")]
    assert {"event": "slot", "name": "country", "value": "IE", "timestamp": None} in events


def test_every_country_answer_has_its_source_and_check_date_and_is_chat_sized():
    for code, entry in load_table()["countries"].items():
        assert entry["source"].startswith("https://"), code
        assert entry["checked"], code
        assert len(entry["text"].split()) <= 60, code


def test_every_country_with_a_text_route_is_one_the_crisis_lines_cover():
    covered = set(load_crisis_lines().countries)
    assert set(load_table()["countries"]) <= covered
