from actions.guide.asides import ActionExplainContext, ActionOfferResume
from tests.support.actions import button_payloads, entity, guide_text, make_tracker, run_action, texts


async def test_after_an_aside_offers_to_go_back_to_the_same_step(dispatcher):
    tracker = make_tracker("ask_gaslighting", slots={"guide_step": "stage_devaluation"})
    events = await run_action(ActionOfferResume(), dispatcher, tracker)
    assert events == []  # the place on the path is untouched
    assert texts(dispatcher) == [guide_text("offer_resume", step_title="Stage 3: devaluation")]
    assert button_payloads(dispatcher) == [
        "/resume",
        '/go_to_step{"step": "stage_manipulation"}',
        "/show_topics",
        "/help_now",
    ]


async def test_off_the_path_offers_a_related_step_instead_of_resuming(dispatcher):
    await run_action(ActionOfferResume(), dispatcher, make_tracker("feel_lonely"))
    assert texts(dispatcher) == [guide_text("offer_next")]
    assert button_payloads(dispatcher) == ['/go_to_step{"step": "cope_seek_support"}', "/show_topics", "/help_now"]


async def test_related_step_is_not_offered_twice_when_it_is_the_current_one(dispatcher):
    tracker = make_tracker("feel_miss_them", slots={"guide_step": "cope_withdrawal"})
    await run_action(ActionOfferResume(), dispatcher, tracker)
    assert button_payloads(dispatcher) == ["/resume", "/show_topics", "/help_now"]


async def test_context_for_a_named_relationship(dispatcher):
    await run_action(ActionExplainContext(), dispatcher, make_tracker("ask_context", [entity("relationship", "boss")]))
    assert texts(dispatcher) == [guide_text("context_boss")]


async def test_context_without_a_relationship_asks_which(dispatcher):
    await run_action(ActionExplainContext(), dispatcher, make_tracker("ask_context"))
    assert texts(dispatcher) == [guide_text("ask_which_context")]
