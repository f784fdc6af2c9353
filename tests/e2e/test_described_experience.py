"""A described experience and the practical questions, with the trained assistant, through the REST channel."""

import uuid

import pytest

from actions.guide.heard import load_table
from tests.e2e.servers import send
from tests.support.chat import RESPONSES, payloads, texts


@pytest.fixture
def chat(assistant_url):
    sender = f"e2e-{uuid.uuid4()}"
    chat = lambda text: send(assistant_url, sender, text)  # noqa: E731
    chat("/greet")
    chat("/affirm")
    return chat


def test_a_described_experience_is_reflected_and_offers_the_topics_that_fit(chat):
    reply = chat("my girlfriend calls me pathetic in front of our mates and then later on she's all sweet again")
    assert texts(reply)[0] == load_table()["themes"]["put_downs"]["text"]
    assert "/ask_intermittent_reinforcement" in payloads(reply) and "/help_now" in payloads(reply)
    followed = chat("/ask_intermittent_reinforcement")
    assert "reinforcement" in " ".join(texts(followed)).lower()


def test_a_friend_who_treats_them_badly_is_not_the_helping_someone_script(chat):
    reply = chat("my best friend is so cold to me lately but i still want her approval, why")
    assert not any("kind of you to want to help" in (text or "") for text in texts(reply))


@pytest.mark.parametrize(
    "question, response",
    [
        ("if i phone a helpline do they force you to go to the police", "utter_ask_helpline_what_happens"),
        ("where can i keep screenshots so he never sees them", "utter_ask_keep_records"),
        ("do i have to tell my employer why i need a week off to move out", "utter_ask_tell_work"),
        ("how do i stop my ex finding my new address", "utter_ask_new_address_privacy"),
        ("is couples therapy a good idea for us", "utter_ask_couples_counselling"),
        ("how can i raise it with her without it turning into a huge row", "utter_ask_raise_it_with_them"),
    ],
)
def test_practical_questions_get_their_answers(chat, question, response):
    assert RESPONSES[response][0]["text"] in texts(chat(question))
