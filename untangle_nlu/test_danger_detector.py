"""DangerDetector with Rasa's own storage and message classes, on docs made by SpacyNLP and SpacyTokenizer."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from tests.support.components import make_component
from untangle_nlu.danger_detector import DANGER_ATTRIBUTE, DangerDetector
from untangle_nlu.danger_lexicon import LEXICON_FILE, LexiconError
from untangle_nlu.danger_scorer import SCORE_ATTRIBUTE
from untangle_nlu.long_message_sentences import WHOLE_RANKING_ATTRIBUTE


@pytest.fixture(scope="module")
def tokenizer(storage) -> SpacyTokenizer:
    return make_component(SpacyTokenizer, {}, storage, "spacy_tokenizer")


@pytest.fixture(scope="module")
def detector(storage) -> DangerDetector:
    return make_component(DangerDetector, {}, storage, "danger_detector")


@pytest.fixture(scope="module")
def parse(spacy_nlp, tokenizer, detector):
    """A message through SpacyNLP, SpacyTokenizer and the detector, after a pretend classifier's ranking."""

    def run(
        text: str, ranking: Optional[List[tuple]] = None, entities: Optional[list] = None, whole: Optional[list] = None
    ) -> Message:
        ranking = ranking or [("share_experience", 0.6), ("feel_sad", 0.3), ("danger", 0.1)]
        message = Message({TEXT: text})
        message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
        message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": c} for name, c in ranking])
        if whole is not None:  # the whole message's ranking, kept by LongMessageFocus
            message.set(WHOLE_RANKING_ATTRIBUTE, [{"name": name, "confidence": c} for name, c in whole])
        message.set(ENTITIES, entities or [])
        spacy_nlp.process([message], spacy_nlp.provide())
        tokenizer.process([message])
        return detector.process([message], spacy_nlp.provide())[0]

    return run


def entity(message: Message, name: str) -> Optional[str]:
    return next((e["value"] for e in message.get(ENTITIES) if e["entity"] == name), None)


def is_danger(message: Message) -> bool:
    """The urgent flow: the danger intent on top."""
    return message.get(INTENT)["name"] == "danger"


def is_referred(message: Message) -> bool:
    """Lines at either level (urgent, or a check-in beside the reply)."""
    return message.get(DANGER_ATTRIBUTE) is not None


def level(message: Message) -> Optional[str]:
    return entity(message, "danger_level")


CATEGORY_EXAMPLES = {
    "self_harm": [
        "i want to kill myself",
        "i'm thinking about ending my life",
        "i don't want to wake up tomorrow",
        "everyone would be better off without me",
        "i've been cutting myself again",
        "i took a handful of pills",
    ],
    "violence": [
        "he hit me last night",
        "my husband choked me",
        "she slapped me across the face",
        "he put his hands on me again",
        "he pushed me down the stairs",
        "i was beaten by my partner",
    ],
    "sexual_violence": [
        "he raped me",
        "my boyfriend forced me to have sex",
        "he sexually assaulted me",
        "i said no but he kept going",
    ],
    "threats": [
        "he said he'd kill me if i left",
        "she threatened to hurt my family",
        "he keeps sending me death threats",
        "he said he'll kill himself if i leave",
    ],
    "immediate_danger": [
        "he's outside my house right now",
        "he locked me in the bedroom",
        "he won't let me leave",
        "my ex keeps following me home",
        "he has a knife",
        "i'm not safe",
        "i'm scared for my life",
        "he put a tracker on my car",
    ],
    "child_at_risk": [
        "he hits my kids",
        "my partner hurts the baby",
        "he shook the baby",
        "my daughter says her stepdad touches her",
    ],
    "harm_to_others": ["i want to kill him", "i'm going to stab him", "i want him dead"],
}


@pytest.mark.parametrize("category, text", [(c, t) for c, texts in CATEGORY_EXAMPLES.items() for t in texts])
def test_each_category_sets_danger_at_the_top_with_its_category(parse, category, text):
    message = parse(text)
    assert message.get(INTENT) == {"name": "danger", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0] == {"name": "danger", "confidence": 1.0}
    assert [e["name"] for e in message.get(INTENT_RANKING_KEY)].count("danger") == 1
    assert entity(message, "danger_category") == category
    assert message.get(DANGER_ATTRIBUTE)["source"] == "lexicon"


@pytest.mark.parametrize(
    "text",
    [
        "he stranggled me",
        "im sucidal",
        "he threatend to kill me",
        "my bf chocked me",
        "he r4ped me",
        "i want to kil myself",
        "he strangeld me",
    ],
)
def test_misspellings_are_matched(parse, text):
    assert is_danger(parse(text)) and level(parse(text)) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "kms",
        "i want to unalive myself",
        "thinking about sewerslide",
        "just end it all",
        "i hope i never wake up",
        "they'd be better off without me",
        "i got sa'd",
        "he sa’d me",
        "people keep telling me to kys",
        "thinking of yeeting myself off a bridge",
    ],
)
def test_slang_and_coded_words_are_matched(parse, text):
    assert is_referred(parse(text))


def test_the_classifier_cannot_override_a_lexicon_match(parse):
    message = parse("he choked me", ranking=[("greet", 0.99), ("thank", 0.01)])
    assert message.get(INTENT) == {"name": "danger", "confidence": 1.0}
    assert message.get(DANGER_ATTRIBUTE)["classifier_intent"]["name"] == "greet"


@pytest.mark.parametrize(
    "text", ["I'd never hurt myself", "i'm not suicidal", "he has never hit me", "im not in danger lol"]
)
def test_a_message_that_only_denies_danger_gets_no_card(parse, text):
    message = parse(text)
    assert not is_referred(message) and not is_danger(message)


def test_a_denial_the_scorer_reads_as_danger_still_gets_the_check_in(spacy_nlp, tokenizer, detector):
    message = Message({TEXT: "i'm not suicidal, i'm just so tired of everything"})
    message.set(INTENT, {"name": "share_experience", "confidence": 0.9})
    message.set(SCORE_ATTRIBUTE, {"danger": 0.9, "urgent": 0.2})
    spacy_nlp.process([message], spacy_nlp.provide())
    tokenizer.process([message])
    detector.process([message], spacy_nlp.provide())
    assert is_referred(message) and level(message) == "check_in"


@pytest.mark.parametrize("text", ["what if my friend is suicidal", "if he ever hit me what would i do"])
def test_hypothetical_mentions_get_a_check_in_marked_negated(parse, text):
    message = parse(text)
    assert is_referred(message) and not is_danger(message)
    assert level(message) == "check_in"
    assert entity(message, "danger_negated") == "true"
    assert message.get(INTENT)["name"] == "share_experience"  # the reply answers what was said


def test_a_negation_of_one_mention_does_not_soften_another(parse):
    message = parse("he never hit me but he choked me last week")
    assert entity(message, "danger_negated") == "false"


@pytest.mark.parametrize(
    "text, subject",
    [
        ("my sister's husband hits her", "other"),
        ("my friend wants to kill herself", "other"),
        ("she was raped by her ex", "other"),
        ("my husband won't let her leave the house", "other"),
        ("he hits me", "self"),
        ("i was raped", "self"),
        ("he threatened to kill himself if i leave", "self"),
        ("i want to end my life", "self"),
    ],
)
def test_who_the_danger_is_about(parse, text, subject):
    message = parse(text)
    assert entity(message, "danger_subject") == subject
    assert message.get(DANGER_ATTRIBUTE)["about_other"] is (subject == "other")


def test_a_young_writer_also_gets_the_child_category(parse):
    message = parse("im 15 and my mum's boyfriend hits me")
    assert message.get(DANGER_ATTRIBUTE)["categories"][0] == "child_at_risk"
    assert "violence" in message.get(DANGER_ATTRIBUTE)["categories"]


@pytest.mark.parametrize(
    "text",
    [
        "how do I kill a process in linux",
        "this job is killing me",
        "I could murder a pizza",
        "she's killing it at work",
        "what is trauma bonding?",
        "he hit me up last night",
        "i walked 5 kms today",
        "he threatened to break up with me",
        "i keep stalking his instagram",
        "he threw me a surprise party",
        "i'm dying to know what comes next",
        "she kicked me out of the group chat",
        "it's not safe to talk right now",
    ],
)
def test_homonym_traps_do_not_match(parse, text):
    message = parse(text)
    assert not is_danger(message)
    assert message.get(DANGER_ATTRIBUTE) is None


@pytest.fixture
def with_classifier_layer(detector):
    detector.config["promote_top_k"] = 3  # off as shipped; an organisation can turn it on
    yield
    detector.config["promote_top_k"] = 0


def test_the_classifier_layer_is_off_as_shipped(parse):
    message = parse("my friend is not doing ok and said goodbye", ranking=[("danger", 0.999), ("feel_sad", 0.001)])
    assert level(message) is None and message.get(INTENT)["name"] != "danger"


@pytest.mark.usefixtures("with_classifier_layer")
def test_classifier_danger_high_in_the_ranking_under_the_fallback_is_a_check_in(parse):
    ranking = [("nlu_fallback", 0.25), ("danger", 0.6), ("feel_sad", 0.2), ("goodbye", 0.1)]
    message = parse("tonight i'm going to the roof for the last time", ranking=ranking)
    assert level(message) == "check_in"
    assert message.get(DANGER_ATTRIBUTE)["source"] == "classifier"
    assert entity(message, "danger_category") == "unspecified"


@pytest.mark.usefixtures("with_classifier_layer")
def test_classifier_danger_above_the_floor_is_a_check_in_and_urgent_when_sure(parse):
    message = parse("my friend is not doing ok and said goodbye", ranking=[("danger", 0.98), ("feel_sad", 0.3)])
    assert level(message) == "check_in" and message.get(INTENT)["name"] == "feel_sad"
    assert entity(message, "danger_subject") == "other"
    sure = parse("my friend is not doing ok and said goodbye", ranking=[("danger", 0.999), ("feel_sad", 0.001)])
    assert is_danger(sure) and level(sure) == "urgent"


@pytest.mark.usefixtures("with_classifier_layer")
def test_a_question_given_the_focus_keeps_the_whole_messages_danger(parse):
    """The answer to the question, and the check-in the whole message's danger ranking gives, as without the focus."""
    text = "it has been a long week at home. can my cat come with me"
    whole = [("danger", 0.98), ("share_experience", 0.02)]
    message = parse(text, ranking=[("ask_money_housing", 0.9), ("danger", 0.01)], whole=whole)
    assert level(message) == "check_in" and message.get(INTENT)["name"] == "ask_money_housing"
    unfocused = parse(text, ranking=whole)
    assert level(unfocused) == level(message)


def test_weak_classifier_danger_gives_way_to_the_next_intent(parse):
    message = parse("he said i was too sensitive", ranking=[("danger", 0.4), ("share_experience", 0.35)])
    assert message.get(INTENT)["name"] == "share_experience"
    assert "danger" not in [e["name"] for e in message.get(INTENT_RANKING_KEY)]


def test_classifier_danger_on_a_harmless_use_gives_way(parse):
    message = parse("he hit me up again", ranking=[("danger", 0.9), ("share_experience", 0.3)])
    assert message.get(INTENT)["name"] == "share_experience"


def test_giving_way_never_lands_on_the_urgent_flow_or_on_a_mere_guess(parse):
    """ "i might call a helpline, thanks bye": a check-in, not "I need help now" at 7 % confidence."""
    ranking = [("danger", 0.6), ("help_now", 0.07), ("goodbye", 0.05)]
    check_in = parse("my ex hit me years ago. i might call a helpline. thanks bye", ranking=ranking)
    assert level(check_in) == "check_in" and check_in.get(INTENT)["name"] == "share_experience"
    safe = parse("i might ring them tomorrow, thanks", ranking=[("danger", 0.6), ("help_now", 0.3), ("thank", 0.3)])
    assert level(safe) is None and safe.get(INTENT)["name"] == "thank"
    guess = parse("i might ring them tomorrow", ranking=[("danger", 0.6), ("thank", 0.1)])
    assert guess.get(INTENT)["name"] == "nlu_fallback"


def test_other_entities_are_kept(parse):
    country = {"entity": "country", "value": "AU", "start": 8, "end": 17}
    message = parse("i'm in australia and he hits me", entities=[country])
    assert country in message.get(ENTITIES)
    assert entity(message, "danger_category") == "violence"


def test_training_examples_keep_their_intents(detector):
    data = TrainingData([Message({TEXT: "he hit me up", INTENT: "share_experience"})])
    assert detector.process_training_data(data).training_examples[0].get(INTENT) == "share_experience"


def test_it_needs_spacy_docs():
    assert DangerDetector.required_components() == [SpacyNLP]


def test_a_broken_lexicon_stops_start_up_naming_the_entry(storage, tmp_path):
    bad = tmp_path / "lexicon.yml"
    bad.write_text(
        Path(LEXICON_FILE)
        .read_text(encoding="utf-8")
        .replace('"@hurt_verb @me|@someone"', '"@hurt_verbs @me|@someone"'),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"violence pattern '@hurt_verbs @me\|@someone': no word list"):
        make_component(DangerDetector, {"lexicon": str(bad)}, storage, "broken")


@pytest.mark.usefixtures("with_classifier_layer")
def test_a_failing_lexicon_leaves_the_classifier_layer_to_refer(parse, detector, monkeypatch, spacy_nlp):
    lexicon = detector._lexicon_for(spacy_nlp.provide().model)

    def broken(doc):
        raise RuntimeError("matcher failure")

    monkeypatch.setattr(lexicon, "read", broken)
    referred = parse("i want to go to sleep and never wake up", ranking=[("danger", 0.999), ("feel_sad", 0.001)])
    assert is_danger(referred) and referred.get(DANGER_ATTRIBUTE)["source"] == "classifier"
    ordinary = parse("what is love bombing", ranking=[("ask_stage", 0.9), ("danger", 0.1)])
    assert ordinary.get(INTENT)["name"] == "ask_stage"


@pytest.mark.parametrize(
    "text",
    [
        "he used to hit me when we were together",
        "my ex choked me years ago",
        "back then he would beat me",
        "my sister's husband hits her",
        "my friend said her boyfriend slapped her",
    ],
)
def test_past_and_someone_elses_violence_gets_a_check_in(parse, text):
    message = parse(text)
    assert is_referred(message) and level(message) == "check_in"
    assert message.get(INTENT)["name"] == "share_experience"


@pytest.mark.parametrize(
    "text", ["he hit me last night", "my neighbour's boyfriend hits their kids", "i cut myself again tonight"]
)
def test_present_danger_and_a_child_at_risk_stay_urgent(parse, text):
    assert level(parse(text)) == "urgent"


def scored(parse, text, danger, urgent, ranking=None):
    """A message as DangerScorer would leave it, through the detector."""
    original = DangerDetector.process

    def with_score(self, messages, model):
        for message in messages:
            message.set("danger_score", {"danger": danger, "urgent": urgent})
        return original(self, messages, model)

    DangerDetector.process = with_score
    try:
        return parse(text, ranking=ranking)
    finally:
        DangerDetector.process = original


def test_the_scorer_alone_gives_a_check_in_or_urgent_when_sure(parse):
    unsure = scored(parse, "i just want to sleep and not deal with anything ever again", 0.9, 0.3)
    assert level(unsure) == "check_in" and unsure.get(DANGER_ATTRIBUTE)["source"] == "scorer"
    sure = scored(parse, "i just want to sleep and not deal with anything ever again", 0.99, 0.97)
    assert is_danger(sure) and level(sure) == "urgent"
    assert level(scored(parse, "what is love bombing", 0.2, 0.1)) is None


def test_a_sure_scorer_raises_a_lexicon_check_in_to_urgent(parse):
    assert level(scored(parse, "i have a restraining order against him", 0.99, 0.97)) == "urgent"
    assert level(scored(parse, "i have a restraining order against him", 0.5, 0.2)) == "check_in"


def test_a_harmless_use_needs_a_sure_scorer(parse):
    assert level(scored(parse, "he hit me up last night", 0.85, 0.1)) is None


@pytest.mark.parametrize(
    "text", ["i am safe. please stop. i want to know about my boyfriend", "im not in danger, just tired"]
)
def test_a_writer_who_says_they_are_safe_gets_no_card_from_an_unsure_scorer(parse, text):
    assert level(scored(parse, text, 0.97, 0.96)) is None
    assert level(scored(parse, text, 0.995, 0.99)) == "check_in"  # sure, yet never the urgent flow


def test_a_denial_the_scorer_is_sure_of_is_still_only_a_check_in(parse):
    assert level(scored(parse, "i havent seen her hit the kids, but is it affecting them", 0.99, 0.97)) == "check_in"


def test_a_danger_named_beside_a_reassurance_still_counts(parse):
    assert level(scored(parse, "im safe now but he hit me last night", 0.5, 0.2)) is not None
    assert level(scored(parse, "i am not safe", 0.97, 0.96)) == "urgent"


def test_one_sentence_of_a_long_post_needs_a_surer_score_than_the_whole(parse):
    original = DangerDetector.process
    text = "we met at uni. things are fine mostly. work is busy."

    def run(sentence_danger):
        def with_score(self, messages, model):
            for message in messages:
                message.set("danger_score", {"danger": 0.3, "urgent": 0.1, "sentence_danger": sentence_danger})
            return original(self, messages, model)

        DangerDetector.process = with_score
        try:
            return level(parse(text))
        finally:
            DangerDetector.process = original

    assert run(0.9) is None and run(0.99) == "check_in"


def test_a_check_in_the_classifiers_could_not_place_is_answered_as_an_experience(parse):
    message = parse("my ex choked me years ago", ranking=[("nlu_fallback", 0.3), ("feel_sad", 0.2)])
    assert level(message) == "check_in" and message.get(INTENT)["name"] == "share_experience"


@pytest.mark.parametrize(
    "text",
    ["lmao i'm going to kill him for spoiling the finale", "my mum is going to kill me when she sees this haircut 😂"],
)
def test_laughter_beside_a_danger_word_lowers_it_to_a_check_in(parse, text):
    assert level(parse(text)) == "check_in"


def test_overdosing_on_chocolate_is_harmless(parse):
    assert level(parse("overdosed on christmas chocolate again, send help")) is None


def test_a_sure_scorer_does_not_raise_a_joke_or_a_past_mention(parse):
    assert level(scored(parse, "lmao i'm going to kill him for spoiling the finale", 0.99, 0.97)) == "check_in"
    assert level(scored(parse, "my ex choked me years ago", 0.99, 0.97)) == "check_in"


@pytest.mark.parametrize(
    "text",
    [
        "i have these fantasies of gutting myself",
        "i like watching my blood",
        "i need help making a plan to leave him",
        "i'm a dv survivor and still scared",
    ],
)
def test_loose_wordings_of_self_injury_and_leaving_an_abuser_get_a_check_in(parse, text):
    assert is_referred(parse(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("every time we argue now he wrestles me down to the ground", "urgent"),
        ("she shoved me against the wall again tonight", "urgent"),
        ("he keeps threatening to show up to my job", "urgent"),
        ("my ex threatened to come round if i don't answer", "urgent"),
        ("we wrestled on the floor with the dog for an hour", None),
        ("my mum will come round later with the shopping", None),
    ],
)
def test_being_forced_down_and_threats_to_turn_up_reach_the_lines(parse, text, expected):
    assert level(parse(text)) == expected
