"""A whole conversation with the trained assistant, by buttons and by typing, through the REST channel."""

from actions.guide.likely_topics import TITLES_FILE
from actions.guide.path import TEXTS_FILE as GUIDE_TEXTS
from actions.texts import load_texts
from tests.support.actions import guide_text, step_text
from tests.support.chat import cards, payloads, reply_text, texts


def test_opening_introduces_the_assistant_and_asks_if_it_is_safe_to_chat(chat):
    messages = chat("hello")
    assert texts(messages)[:3] == [
        reply_text("utter_intro"),
        reply_text("utter_privacy_short"),
        reply_text("utter_ask_safe_to_chat"),
    ]
    assert "/help_now" in payloads(messages)


def test_guided_path_by_buttons_then_a_typed_question_and_back(chat):
    chat("/greet")
    assert texts(chat("/affirm")) == [reply_text("utter_topics")]
    assert texts(chat('/go_to_step{"step": "stages"}')) == [step_text("stages")]
    assert texts(chat("/continue")) == [step_text("stage_love_bombing")]
    assert texts(chat("next")) == [step_text("stage_dependency")]
    aside = chat("what is gaslighting?")
    assert texts(aside) == [
        reply_text("utter_faq_gaslighting"),
        guide_text("offer_resume", step_title="Stage 2: dependency"),
    ]
    assert texts(chat("/resume")) == [step_text("stage_devaluation")]  # on from stage 2, not stage 2 again
    assert texts(chat("what comes after devaluation?")) == [step_text("stage_manipulation")]
    assert texts(chat("stage 6")) == [step_text("stage_loss_of_self")]
    more = chat("tell me more")
    assert texts(more) == [step_text("stage_loss_of_self", more=True)]
    assert payloads(more) == ["/continue", "/show_topics", "/help_now"]


def test_a_feeling_gets_a_validating_reply_and_the_way_back(chat):
    chat("/greet")
    chat('/go_to_step{"step": "coping"}')
    messages = chat("i feel so stupid for staying with him")
    assert texts(messages)[0] == reply_text("utter_feel_ashamed")
    assert "/resume" in payloads(messages)


def test_asking_for_a_label_gets_no_label(chat):
    messages = chat("is my boyfriend a narcissist?")
    assert texts(messages)[:2] == [reply_text("utter_cannot_label_other"), reply_text("utter_reflect_other")]


def test_a_vague_message_offers_the_likeliest_topics_instead_of_guessing(chat):
    messages = chat("that cycle stuff")  # Rasa's two-stage fallback: "is it one of these?"
    assert texts(messages)[0] == load_texts(TITLES_FILE)["ask_which_topic"]
    assert "/ask_intermittent_reinforcement" in payloads(messages)


def test_gibberish_is_asked_again_without_topics_picked_at_random(chat):
    messages = chat("qwkjh zzxv plorp")
    assert texts(messages)[0] == load_texts(TITLES_FILE)["ask_rephrase"]
    assert payloads(messages) == ["/show_topics", "/help_now"]


def test_a_long_message_gets_its_feeling_reflected_then_its_question_answered(chat):
    chat("/greet")
    chat("/affirm")
    messages = chat(
        "so we broke up in march and everyone keeps telling me im better off. he would go quiet for days "
        "and then turn up with flowers and say he couldnt live without me, and every time i believed "
        "him. my mates have stopped asking about it because they are sick of hearing it. i feel like "
        "such an idiot for falling for it over and over. why do i keep going back to him?"
    )
    assert texts(messages)[:2] == [guide_text("reflect_feel_ashamed"), reply_text("utter_faq_why_go_back")]


def test_a_long_message_with_urgent_danger_goes_straight_to_the_crisis_flow(chat):
    chat("/greet")
    chat("/affirm")
    messages = chat(
        "we have been together four years and my family says im mad to stay. i feel like such an idiot "
        "for believing him every single time he says sorry. last night he said he would kill me if i "
        "ever tried to leave, and he meant it. why do i keep going back to him?"
    )
    reflections = [guide_text(key) for key in load_texts(GUIDE_TEXTS).keys() if key.startswith("reflect_")]
    assert not set(texts(messages)) & set(reflections)
    assert cards(messages) and cards(messages)[0]["level"] == "urgent"


def test_stages_typed_in_shorthand_with_typos_move_on_and_back(chat):
    chat("/greet")
    chat("/affirm")
    chat('/go_to_step{"step": "stages"}')
    chat("/continue")
    assert texts(chat("cool ta, nxt")) == [step_text("stage_dependency")]  # "ta" is thanks, not a goodbye
    assert texts(chat("wat was the 1st one again")) == [step_text("stage_love_bombing")]


def test_a_helper_asking_how_to_bring_it_up_gets_words_for_the_person_they_worry_about(chat):
    chat("my sister's boyfriend is really controlling, how can i help her")
    messages = chat("how do i bring it up with her without her getting defensive")
    assert texts(messages)[:2] == [
        reply_text("utter_ask_helper_what_to_say"),
        reply_text("utter_ask_helper_what_to_say_more"),
    ]
