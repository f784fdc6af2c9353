import pytest

from actions.safety.money_housing import ActionAnswerMoneyHousing, answer_texts, load_table
from tests.support.actions import make_tracker, run_action, texts


def topic(name):
    return load_table()["topics"][name]["text"]


@pytest.mark.parametrize(
    "message, expected",
    [
        ("we have a joint account, can i get my money out", ["finances"]),
        ("can he see what i spend on my card", ["finances"]),
        ("how do i put money aside without him knowing, i'm retired", ["finances"]),
        ("can i take the dog, he's in my name", ["pets"]),
        ("our lease is in both names, what happens if i leave", ["housing"]),
        ("the refuge is full and i have a cat", ["housing", "pets"]),
    ],
)
def test_each_question_gets_the_answer_for_what_it_is_about(message, expected):
    assert answer_texts(message) == [topic(name) for name in expected]


def test_three_practical_questions_in_a_row_get_three_different_answers():
    asked = ["what about our joint account", "can i take the dog", "and the flat is rented in his name"]
    answers = [answer_texts(message)[0] for message in asked]
    assert len(set(answers)) == 3


@pytest.mark.parametrize("message", ["how do people afford to leave", "", None])
def test_a_question_naming_no_topic_gets_the_general_answer(message):
    assert answer_texts(message) == [load_table()["general"]]


def test_no_more_than_two_topics_are_answered_at_once():
    assert len(answer_texts("the dog, the mortgage and the joint account, where do i start")) == 2


async def test_the_action_sends_the_answer_for_the_latest_message(dispatcher):
    tracker = make_tracker("ask_money_housing", text="can I take my dog with me")
    await run_action(ActionAnswerMoneyHousing(), dispatcher, tracker)
    assert texts(dispatcher) == [topic("pets")]


def test_every_answer_is_chat_sized():
    table = load_table()
    for text in [table["general"], *(entry["text"] for entry in table["topics"].values())]:
        assert len(text.split()) <= 70
