import pytest

from actions.guide.concepts import ActionAnswerConcept, ActionGoToStage
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


async def test_concept_question_off_the_path_starts_there(dispatcher):
    events = await run_action(ActionAnswerConcept(), dispatcher, make_tracker("ask_intermittent_reinforcement"))
    assert texts(dispatcher) == [step_text("intermittent_reinforcement")]
    assert slot_value(events, "guide_step") == "intermittent_reinforcement"


async def test_concept_question_in_the_same_section_moves_there(dispatcher):
    tracker = make_tracker("ask_hope", slots={"guide_step": "reason_dependency"})
    events = await run_action(ActionAnswerConcept(), dispatcher, tracker)
    assert texts(dispatcher) == [step_text("reason_hope")]
    assert slot_value(events, "guide_step") == "reason_hope"


async def test_concept_question_from_another_section_is_an_aside_that_keeps_the_place(dispatcher):
    tracker = make_tracker("ask_cognitive_dissonance", slots={"guide_step": "stage_devaluation"})
    events = await run_action(ActionAnswerConcept(), dispatcher, tracker)
    assert [event["name"] for event in events] == ["aside_step"]  # the person is still on stage 3
    assert slot_value(events, "aside_step") == "reason_cognitive_dissonance"
    assert texts(dispatcher) == [
        step_text("reason_cognitive_dissonance"),
        guide_text("aside_keep_place", step_title="Stage 3: devaluation"),
    ]
    assert button_payloads(dispatcher) == ["/resume", "/continue", "/help_now"]


async def test_shared_concept_prefers_the_section_the_person_is_in(dispatcher):
    tracker = make_tracker("ask_dependency", slots={"guide_step": "stage_love_bombing"})
    events = await run_action(ActionAnswerConcept(), dispatcher, tracker)
    assert slot_value(events, "guide_step") == "stage_dependency"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("4", "stage_manipulation"),
        ("fourth", "stage_manipulation"),
        ("1", "stage_love_bombing"),
        ("seven", "stage_addiction"),
    ],
)
async def test_stage_by_number(dispatcher, value, expected):
    tracker = make_tracker("ask_stage", entities=[entity("stage_number", value)])
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert slot_value(events, "guide_step") == expected


async def test_a_stage_question_naming_only_the_overview_shows_the_overview(dispatcher):
    tracker = make_tracker("ask_stage", entities=[entity("step", "stages")])
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert texts(dispatcher) == [step_text("stages")] and slot_value(events, "guide_step") == "stages"


async def test_stage_by_name(dispatcher):
    tracker = make_tracker("ask_stage", entities=[entity("stage", "Loss of self")])
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert texts(dispatcher) == [step_text("stage_loss_of_self")]
    assert slot_value(events, "guide_step") == "stage_loss_of_self"


async def test_what_comes_after_devaluation(dispatcher):
    tracker = make_tracker("ask_next_stage", entities=[entity("stage", "devaluation")])
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert slot_value(events, "guide_step") == "stage_manipulation"


async def test_what_comes_before_resignation(dispatcher):
    tracker = make_tracker("ask_previous_stage", entities=[entity("stage", "resignation")])
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert slot_value(events, "guide_step") == "stage_manipulation"


async def test_next_stage_without_a_name_follows_the_current_stage(dispatcher):
    tracker = make_tracker("ask_next_stage", slots={"guide_step": "stage_resignation"})
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert slot_value(events, "guide_step") == "stage_loss_of_self"


async def test_nothing_comes_after_the_last_stage(dispatcher):
    tracker = make_tracker("ask_next_stage", entities=[entity("stage", "addiction")])
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert events == []
    assert texts(dispatcher) == [guide_text("no_stage_after")]
    assert button_payloads(dispatcher)[0] == '/go_to_step{"step": "coping"}'


async def test_nothing_comes_before_the_first_stage(dispatcher):
    tracker = make_tracker("ask_previous_stage", entities=[entity("stage_number", "1")])
    await run_action(ActionGoToStage(), dispatcher, tracker)
    assert texts(dispatcher) == [guide_text("no_stage_before")]
    assert button_payloads(dispatcher)[0] == '/go_to_step{"step": "stages"}'


@pytest.mark.parametrize(
    "value, text_key", [("9", "no_such_stage"), ("zero", "no_such_stage"), ("banana", "ask_which_stage")]
)
async def test_a_stage_that_does_not_exist_asks_which_one(dispatcher, value, text_key):
    tracker = make_tracker("ask_stage", entities=[entity("stage_number", value)])
    events = await run_action(ActionGoToStage(), dispatcher, tracker)
    assert events == []
    assert texts(dispatcher) == [guide_text(text_key)]
