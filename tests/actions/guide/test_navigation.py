from actions.guide.navigation import (
    ActionGoToStep,
    ActionNextStep,
    ActionPreviousStep,
    ActionResumeStep,
    ActionTellMore,
)
from actions.guide.path import load_path
from tests.support.actions import (
    button_payloads,
    entity,
    guide_text,
    make_tracker,
    run_action,
    slot_value,
    step_text,
    texts,
)


async def test_continue_from_the_start_shows_the_first_step_with_its_buttons(dispatcher):
    events = await run_action(ActionNextStep(), dispatcher, make_tracker("continue"))
    assert texts(dispatcher) == [step_text("what_is")]
    assert button_payloads(dispatcher) == ["/continue", "/tell_more", "/show_topics", "/help_now"]
    assert slot_value(events, "guide_step") == "what_is"


async def test_continue_walks_from_the_last_reason_into_the_stages(dispatcher):
    events = await run_action(
        ActionNextStep(), dispatcher, make_tracker("continue", slots={"guide_step": "reason_hope"})
    )
    assert texts(dispatcher) == [step_text("stages")]
    assert slot_value(events, "guide_step") == "stages"


def walked(*names):
    """The events of a conversation that was shown these steps of the path."""
    return [{"event": "slot", "name": "guide_step", "value": name} for name in names]


def the_whole_path():
    return walked(*(step.name for step in load_path().steps))


async def test_continue_after_the_last_step_says_the_path_is_done(dispatcher):
    tracker = make_tracker("continue", slots={"guide_step": "find_help"}, events=the_whole_path())
    events = await run_action(ActionNextStep(), dispatcher, tracker)
    assert texts(dispatcher) == [guide_text("path_end")]
    assert "/help_now" in button_payloads(dispatcher)
    assert events == []


async def test_ok_after_jumping_to_the_last_step_offers_the_topics_not_the_thanks_for_the_path(dispatcher):
    # trial 11: "where can i get help", then "ok", got "That's the whole path. Thank you for spending this time here"
    tracker = make_tracker("continue", slots={"guide_step": "find_help"}, events=walked("find_help"))
    await run_action(ActionNextStep(), dispatcher, tracker)
    assert texts(dispatcher) == [guide_text("path_end_not_walked")]
    assert "/show_topics" in button_payloads(dispatcher)


async def test_previous_goes_back_one_stage(dispatcher):
    tracker = make_tracker("previous", slots={"guide_step": "stage_devaluation"})
    events = await run_action(ActionPreviousStep(), dispatcher, tracker)
    assert texts(dispatcher) == [step_text("stage_dependency")]
    assert slot_value(events, "guide_step") == "stage_dependency"


async def test_previous_on_the_first_step_stays_there(dispatcher):
    events = await run_action(
        ActionPreviousStep(), dispatcher, make_tracker("previous", slots={"guide_step": "what_is"})
    )
    assert texts(dispatcher) == [step_text("what_is")]
    assert slot_value(events, "guide_step") == "what_is"


async def test_previous_off_the_path_offers_the_topics(dispatcher):
    await run_action(ActionPreviousStep(), dispatcher, make_tracker("previous"))
    assert texts(dispatcher) == ["utter_topics"]


async def test_tell_more_gives_the_current_steps_example_and_keeps_the_place(dispatcher):
    tracker = make_tracker("tell_more", slots={"guide_step": "intermittent_reinforcement"})
    events = await run_action(ActionTellMore(), dispatcher, tracker)
    assert texts(dispatcher) == [step_text("intermittent_reinforcement", more=True)]
    assert button_payloads(dispatcher) == ["/continue", "/show_topics", "/help_now"]
    assert events == []


async def test_resume_carries_on_after_the_step_last_read_not_with_it_again(dispatcher):
    events = await run_action(
        ActionResumeStep(), dispatcher, make_tracker("resume", slots={"guide_step": "stage_resignation"})
    )
    assert texts(dispatcher) == [step_text("stage_loss_of_self")]
    assert slot_value(events, "guide_step") == "stage_loss_of_self"


async def test_resume_after_an_aside_carries_on_from_the_place_not_from_the_aside(dispatcher):
    slots = {"guide_step": "stage_devaluation", "aside_step": "reason_cognitive_dissonance"}
    await run_action(ActionResumeStep(), dispatcher, make_tracker("resume", slots=slots))
    assert texts(dispatcher) == [step_text("stage_manipulation")]


async def test_resume_at_the_end_of_the_path_says_it_is_done(dispatcher):
    last = load_path().steps[-1].name
    tracker = make_tracker("resume", slots={"guide_step": last}, events=the_whole_path())
    await run_action(ActionResumeStep(), dispatcher, tracker)
    assert texts(dispatcher) == [guide_text("path_end")]


async def test_resume_off_the_path_offers_the_topics(dispatcher):
    await run_action(ActionResumeStep(), dispatcher, make_tracker("resume"))
    assert texts(dispatcher) == ["utter_topics"]


async def test_topic_button_jumps_to_its_step(dispatcher):
    tracker = make_tracker("go_to_step", entities=[entity("step", "coping")], slots={"guide_step": "stage_addiction"})
    events = await run_action(ActionGoToStep(), dispatcher, tracker)
    assert texts(dispatcher) == [step_text("coping")]
    assert slot_value(events, "guide_step") == "coping"


async def test_unknown_step_name_offers_the_topics_instead_of_failing(dispatcher):
    tracker = make_tracker("go_to_step", entities=[entity("step", "<script>")])
    events = await run_action(ActionGoToStep(), dispatcher, tracker)
    assert texts(dispatcher) == ["utter_topics"]
    assert events == []
