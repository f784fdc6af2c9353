"""LongMessageFocus with Rasa's own storage and message classes, after a pretend classifier's rankings."""

from __future__ import annotations

from typing import List, Tuple

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from untangle_nlu.long_message_focus import LongMessageFocus
from untangle_nlu.long_message_sentences import PART_ATTRIBUTE, WHOLE_RANKING_ATTRIBUTE, SentencePart

Ranking = List[Tuple[str, float]]
STORY: Ranking = [("share_experience", 0.7), ("feel_sad", 0.2)]


@pytest.fixture(scope="module")
def focus(tmp_path_factory) -> LongMessageFocus:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    context = ExecutionContext(GraphSchema({}), node_name="long_message_focus")
    return LongMessageFocus.create(LongMessageFocus.get_default_config(), storage, Resource("focus"), context)


def classified(ranking: Ranking, text: str = "text", part: SentencePart = None) -> Message:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": c} for name, c in ranking])
    if part is not None:
        message.set(PART_ATTRIBUTE, part)
    return message


def part(ranking: Ranking, position: int, question: bool = False) -> Message:
    return classified(ranking, part=SentencePart(0, position, question))


def test_a_long_message_takes_the_intent_of_its_last_question(focus):
    whole = classified(STORY)
    result = focus.process(
        [
            whole,
            part(STORY, 0),
            part([("ask_why_go_back", 0.5)], 1, question=True),
            part([("ask_help_friend", 0.8), ("ask_find_help", 0.1)], 2, question=True),
        ]
    )
    assert result == [whole]  # the parts are gone
    assert whole.get(INTENT)["name"] == "ask_help_friend"
    assert whole.get(INTENT_RANKING_KEY)[1]["name"] == "ask_find_help"


def test_without_a_question_the_surest_topic_sentence_wins_over_a_story(focus):
    whole = classified(STORY)
    focus.process([whole, part([("feel_sad", 0.5)], 0), part([("ask_no_contact", 0.9)], 1), part(STORY, 2)])
    assert whole.get(INTENT)["name"] == "ask_no_contact"


def test_a_statement_does_not_replace_a_surer_topic_of_the_whole_message(focus):
    whole = classified([("feel_guilty", 0.9)])
    focus.process([whole, part([("ask_no_contact", 0.6)], 0), part(STORY, 1)])
    assert whole.get(INTENT)["name"] == "feel_guilty"


def test_a_message_read_as_danger_above_all_is_left_as_the_classifier_made_it(focus):
    whole = classified([("danger", 0.6), ("share_experience", 0.3)])
    before = (whole.get(INTENT), whole.get(INTENT_RANKING_KEY))
    result = focus.process([whole, part(STORY, 0), part([("ask_help_friend", 0.9)], 1, question=True)])
    assert result == [whole] and (whole.get(INTENT), whole.get(INTENT_RANKING_KEY)) == before
    assert whole.get(WHOLE_RANKING_ATTRIBUTE) is None


def test_danger_beside_a_question_keeps_the_whole_ranking_for_the_danger_detector(focus):
    """ "he kicks them when he's mad. do shelters take pets?": the pets answer, and the danger weighed as before."""
    whole = classified([("share_experience", 0.45), ("danger", 0.4)])
    ranking_before = whole.get(INTENT_RANKING_KEY)
    focus.process(
        [whole, part([("danger", 0.7), ("share_experience", 0.2)], 0), part([("ask_money_housing", 0.8)], 1, True)]
    )
    assert whole.get(INTENT)["name"] == "ask_money_housing"
    assert whole.get(WHOLE_RANKING_ATTRIBUTE) == ranking_before


def test_a_sentence_read_as_danger_is_never_the_focus(focus):
    whole = classified(STORY)
    focus.process([whole, part(STORY, 0), part([("danger", 0.9), ("ask_leaving_safely", 0.1)], 1, question=True)])
    assert whole.get(INTENT)["name"] == "share_experience"


def test_danger_ranked_with_next_to_no_confidence_does_not_stop_the_focus(focus):
    whole = classified([("share_experience", 0.99), ("danger", 0.001)])
    focus.process(
        [
            whole,
            part([("share_experience", 0.6), ("danger", 0.3)], 0),
            part([("ask_why_go_back", 0.9)], 1, question=True),
        ]
    )
    assert whole.get(INTENT)["name"] == "ask_why_go_back"


def test_an_unsure_question_keeps_the_whole_message_intent(focus):
    whole = classified(STORY)
    focus.process([whole, part([("ask_hope", 0.2)], 0, question=True)])
    assert whole.get(INTENT)["name"] == "share_experience"


def test_a_message_without_parts_is_untouched(focus):
    whole = classified([("ask_stages", 0.9)])
    assert focus.process([whole]) == [whole] and whole.get(INTENT)["name"] == "ask_stages"


def reflected(message: Message) -> List[str]:
    return [entity["value"] for entity in message.get("entities") or [] if entity["entity"] == "reflect_feeling"]


def test_a_feeling_beside_the_question_is_named_for_the_reply_to_reflect(focus):
    whole = classified(STORY, text="i feel like such an idiot. why do i keep going back to him?")
    feeling = classified([("feel_ashamed", 0.8)], text="i feel like such an idiot.", part=SentencePart(0, 0, False))
    question = classified(
        [("ask_why_go_back", 0.9)], text="why do i keep going back to him?", part=SentencePart(0, 1, True)
    )
    focus.process([whole, feeling, question])
    assert whole.get(INTENT)["name"] == "ask_why_go_back"
    assert reflected(whole) == ["feel_ashamed"]
    entity = whole.get("entities")[0]
    assert whole.get(TEXT)[entity["start"] : entity["end"]] == "i feel like such an idiot."


def test_no_feeling_is_named_when_the_message_is_itself_about_a_feeling_or_unsure(focus):
    about_feeling = classified([("feel_lonely", 0.9)])
    focus.process([about_feeling, part([("feel_sad", 0.9)], 0), part(STORY, 1)])
    weak = classified([("ask_no_contact", 0.9)])
    focus.process([weak, part([("feel_sad", 0.3)], 0), part([("ask_no_contact", 0.9)], 1, question=True)])
    assert reflected(about_feeling) == [] and reflected(weak) == []


def test_no_feeling_is_named_beside_danger(focus):
    whole = classified([("danger", 0.55), ("ask_why_go_back", 0.4)])
    focus.process([whole, part([("feel_afraid_to_leave", 0.9)], 0), part([("ask_why_go_back", 0.9)], 1, True)])
    assert reflected(whole) == []
