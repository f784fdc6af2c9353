"""Questions new users asked in trials 8 to 10, answered through the REST channel with the trained model."""

from actions.guide.likely_topics import TITLES_FILE
from actions.texts import load_texts
from tests.support.chat import cards, reply_text, texts


def test_a_daughter_helping_her_father_is_answered_as_a_helper(chat):
    chat("/greet")
    messages = chat("its not about me, its my dad. his new wife keeps us away from him. how can i help him")
    assert reply_text("utter_faq_help_friend") in texts(messages)
    assert load_texts(TITLES_FILE)["about_self"] not in texts(messages)


def test_what_an_advocate_is_gets_a_plain_answer(chat):
    assert reply_text("utter_ask_what_is_advocate") in texts(chat("sorry what does advocate mean"))


def test_the_silent_treatment_is_explained_not_the_children_text(chat):
    messages = chat("why does he stop speaking to me for days whenever im late")
    assert reply_text("utter_ask_silent_treatment") in texts(messages)
    assert reply_text("utter_ask_children_seeing_it") not in texts(messages)


def test_a_man_asking_again_for_a_mens_line_gets_the_lines_not_the_same_answer(chat):
    # trial 9: "is there a mens one in australia?" brought the whole answer back again, with no line for men
    au = {"country": "AU"}
    first = chat("does this happen to guys as well", metadata=au)
    assert reply_text("utter_ask_men_too") in texts(first)
    again = chat("is there a mens one in australia", metadata=au)
    assert reply_text("utter_ask_men_too") not in texts(again)
    assert "MensLine Australia" in [line["name"] for card in cards(again) for line in card["lines"]]


def test_a_woman_afraid_he_will_find_the_shelter_gets_that_answer_and_the_lines(chat):
    # trial 10: "if i go to shelter will he find me there" got the housing paragraph again
    messages = chat("if i leave and go to a refuge could he work out where i am", metadata={"country": "CA"})
    assert reply_text("utter_ask_shelter_safe") in texts(messages)
    assert cards(messages), "the lines for her country come with the answer"


def test_a_student_asking_for_sources_is_told_where_to_look(chat):
    # trial 10: "whos the researcher who came up with the term" got "What I shared just above..."
    chat("/greet")
    messages = chat("for my essay, who came up with the idea of trauma bonds? i need to reference it")
    assert reply_text("utter_ask_for_research") in texts(messages)


def test_someone_correcting_that_it_is_them_being_hurt_gets_the_lines(chat):
    # trial 10: "its ME. im the one being hurt" got "No, I'm not a person" and no card
    chat("/greet")
    messages = chat("you keep talking about helping. its me, im the one being hurt")
    assert cards(messages)
    assert reply_text("utter_i_am_a_bot") not in texts(messages)


def test_a_deaf_person_in_australia_is_told_how_to_text_triple_zero(chat):
    # trial 11: "im deaf, can i text 000?" got the lines, with nothing on reaching 000 without a call
    messages = chat("im deaf, is there any way to text 000", metadata={"country": "AU"})
    assert any("0423 677 767" in text for text in texts(messages))
    assert cards(messages), "the lines, with the ones that work by text, come with the answer"


def test_someone_who_cannot_pay_a_lawyer_is_told_where_free_legal_advice_is(chat):
    # trial 11: "is there free legal help" got "That sounds painful", with nothing on legal advice
    messages = chat("i need proper legal advice about the kids but i cant pay a solicitor", metadata={"country": "GB"})
    assert reply_text("utter_ask_legal_help") in texts(messages)
    # the domestic abuse line knows the local legal services
    assert any("National Domestic Abuse Helpline" in text for text in texts(messages))
