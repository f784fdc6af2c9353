"""action_crisis_referral for danger written in another language: the language sentence comes before the lines."""

from actions.safety.referral import ActionCrisisReferral
from tests.support.actions import entity, make_tracker, run_action, texts


def danger_in(language=None):
    entities = [
        entity("danger_category", "violence"),
        entity("danger_subject", "self"),
        entity("danger_negated", "false"),
        entity("danger_level", "urgent"),
    ]
    entities += [entity("language", language)] if language else []
    return make_tracker("danger", entities, text="(a danger message)", slots={"country": "US"})


async def test_danger_in_another_language_says_so_in_that_language_before_the_framing_and_lines(dispatcher):
    await run_action(ActionCrisisReferral(), dispatcher, danger_in("es"))
    sent = texts(dispatcher)
    assert sent[0] == "utter_other_language"
    assert len(sent) >= 3 and any(message.get("custom") for message in dispatcher.messages)  # framing, lines, card


async def test_danger_in_english_gets_no_language_sentence(dispatcher):
    await run_action(ActionCrisisReferral(), dispatcher, danger_in())
    assert "utter_other_language" not in texts(dispatcher)


async def test_a_language_remembered_from_before_does_not_add_it_to_an_english_message(dispatcher):
    tracker = danger_in()
    tracker.slots["language"] = "fr"  # an earlier message was in French; this one is not
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert "utter_other_language" not in texts(dispatcher)
