from actions.guide.reflect import ActionReflectFeeling
from tests.support.actions import entity, guide_text, make_tracker, run_action, texts


async def test_the_feeling_named_is_reflected_in_one_line_and_the_action_reverts_itself(dispatcher):
    tracker = make_tracker("ask_why_go_back", [entity("reflect_feeling", "feel_ashamed")])
    events = await run_action(ActionReflectFeeling(), dispatcher, tracker)
    assert texts(dispatcher) == [guide_text("reflect_feel_ashamed")]
    assert [event["event"] for event in events] == ["undo"]


async def test_every_feeling_the_focus_can_name_has_a_line(dispatcher):
    from untangle_nlu.long_message_focus import FEELINGS

    for feeling in FEELINGS:
        dispatcher.messages.clear()
        await run_action(
            ActionReflectFeeling(), dispatcher, make_tracker("ask_no_contact", [entity("reflect_feeling", feeling)])
        )
        assert texts(dispatcher) == [guide_text(f"reflect_{feeling}")]


async def test_without_a_known_feeling_it_says_nothing(dispatcher):
    events = await run_action(ActionReflectFeeling(), dispatcher, make_tracker("ask_no_contact"))
    assert texts(dispatcher) == [] and [event["event"] for event in events] == ["undo"]
