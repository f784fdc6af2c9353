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
from untangle_nlu.long_message_sentences import PART_ATTRIBUTE, SentencePart

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
    result = focus.process([whole, part(STORY, 0), part([("ask_why_go_back", 0.5)], 1, question=True),
                            part([("ask_help_friend", 0.8), ("ask_find_help", 0.1)], 2, question=True)])
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


@pytest.mark.parametrize("whole_ranking, question_ranking", [
    (STORY + [("danger", 0.05)], [("ask_help_friend", 0.9)]),  # danger in the whole message's top five
    (STORY, [("ask_leaving_safely", 0.6), ("danger", 0.3)]),  # danger in a sentence's ranking
    ([("danger", 0.6), ("share_experience", 0.3)], [("ask_help_friend", 0.9)]),
])
def test_danger_anywhere_leaves_the_message_as_the_classifier_made_it(focus, whole_ranking, question_ranking):
    whole = classified(whole_ranking)
    before = (whole.get(INTENT), whole.get(INTENT_RANKING_KEY))
    result = focus.process([whole, part(STORY, 0), part(question_ranking, 1, question=True)])
    assert result == [whole] and (whole.get(INTENT), whole.get(INTENT_RANKING_KEY)) == before


def test_an_unsure_question_keeps_the_whole_message_intent(focus):
    whole = classified(STORY)
    focus.process([whole, part([("ask_hope", 0.2)], 0, question=True)])
    assert whole.get(INTENT)["name"] == "share_experience"


def test_a_message_without_parts_is_untouched(focus):
    whole = classified([("ask_stages", 0.9)])
    assert focus.process([whole]) == [whole] and whole.get(INTENT)["name"] == "ask_stages"
