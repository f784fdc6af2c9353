"""The other-language danger lexicon: per language, danger at both levels is found and a harmless message is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from untangle_nlu.danger_lexicon_languages import (
    CATEGORIES,
    LanguageDangerLexicon,
    LexiconError,
    normalise,
    read_language_lexicon,
)

# (section, urgent danger, check-in danger, harmless), all written for these tests.
CASES = [
    (
        "es",
        "por favor ayúdame, mi marido me pega todas las noches",
        "cuando era joven mi padre me pegaba",
        "hola, quería saber más sobre las relaciones tóxicas",
    ),
    (
        "fr",
        "aidez-moi s'il vous plaît, je veux mourir",
        "il me battait quand nous étions mariés",
        "bonjour, je voudrais comprendre pourquoi je reste avec lui",
    ),
    (
        "pt",
        "meu namorado me bate quando bebe",
        "às vezes quero morrer, mas não sei porquê",
        "oi, tudo bem? queria conversar um pouco",
    ),
    (
        "pl",
        "mój mąż mnie bije i nie wiem co robić",
        "kiedyś mnie bił, teraz już nie",
        "dzień dobry, chciałabym porozmawiać o moim związku",
    ),
    (
        "de",
        "mein Mann schlägt mich, bitte helft mir",
        "er hat mich früher geschlagen",
        "hallo, ich möchte mehr über toxische Beziehungen erfahren",
    ),
    (
        "it",
        "il mio ragazzo mi picchia quando è arrabbiato",
        "mio padre mi picchiava da piccola",
        "ciao, vorrei capire meglio cosa mi succede",
    ),
    ("ar", "زوجي يضربني كل يوم", "كان يضربني قبل سنوات", "مرحبا، أريد أن أفهم علاقتي بشكل أفضل"),
    ("hi", "मेरा पति मुझे मारता है और मैं डरती हूँ", "वह पहले मुझे पीटता था", "नमस्ते, मैं अपने रिश्ते के बारे में बात करना चाहती हूँ"),
    ("ur", "میرا شوہر مجھے مارتا ہے", "وہ مجھے دھمکی دیتا تھا", "میں اپنے رشتے کے بارے میں بات کرنا چاہتی ہوں"),
    (
        "hi_latn",
        "mera pati mujhe marta hai, main kya karun",
        "pehle woh mujhe maarta tha",
        "mujhe madad chahiye, main bahut confused hoon",
    ),
    (
        "vi",
        "chồng tôi đánh tôi mỗi tối",
        "trước đây anh ta đánh tôi",
        "xin chào, tôi muốn hiểu hơn về mối quan hệ của mình",
    ),
    ("zh", "我好想死", "他打过我好几次", "你好，我想了解一下健康的关系"),
]


@pytest.fixture(scope="module")
def lexicon() -> LanguageDangerLexicon:
    return LanguageDangerLexicon(read_language_lexicon())


@pytest.mark.parametrize("language, urgent, check_in, harmless", CASES, ids=[case[0] for case in CASES])
def test_each_language_finds_danger_at_both_levels_and_leaves_harmless_messages(
    lexicon, language, urgent, check_in, harmless
):
    found = lexicon.find(urgent)
    assert found is not None and found.language == language and found.level == "urgent", found
    found = lexicon.find(check_in)
    assert found is not None and found.language == language and found.level == "check_in", found
    assert lexicon.find(harmless) is None


def test_every_language_has_every_category_at_both_levels():
    for language, section in read_language_lexicon()["languages"].items():
        for category in CATEGORIES:
            levels = section.get(category) or {}
            assert levels.get("urgent") and levels.get("check_in"), f"{language} {category}"


@pytest.mark.parametrize(
    "typed, language",
    [
        ("llamen a la policia", "es"),  # policía without its accent
        ("maz mnie bije", "pl"),  # mąż without its diacritics
        ("er schlaegt mich", "de"),  # ä written ae
        ("er schlagt mich", "de"),  # ä written a
        ("chong toi danh toi", "vi"),  # no tone marks at all
        ("زَوجي يَضرِبُني", "ar"),  # with short vowels
        ("IL ME FRAPPE", "fr"),  # capitals
        ("il m’a frappée hier soir", "fr"),  # a typographic apostrophe
    ],
)
def test_accents_case_and_informal_spellings_do_not_matter(lexicon, typed, language):
    found = lexicon.find(typed)
    assert found is not None and found.language == language


def test_chinese_is_matched_inside_a_longer_run_of_characters_and_across_a_short_gap(lexicon):
    assert lexicon.find("昨天晚上他打我了").category == "violence"
    assert lexicon.find("我老公昨天又打我").category == "violence"  # 老公...打我


def test_a_harmless_saying_with_a_danger_phrase_inside_is_not_danger(lexicon):
    assert lexicon.find("好久不见，我想死你了") is None  # "I missed you so much"
    assert lexicon.find("mi mamá me va a matar si llego tarde") is None


def test_a_longer_past_phrase_wins_over_the_urgent_phrase_inside_it(lexicon):
    assert lexicon.find("a veces quiero morir").level == "check_in"
    assert lexicon.find("quiero morir").level == "urgent"


def test_the_identified_language_wins_when_two_sections_match(lexicon):
    text = "socorro"  # Spanish and Portuguese alike
    assert lexicon.find(text, prefer="pt").language == "pt"
    assert lexicon.find(text, prefer="es").language == "es"
    assert lexicon.find("mujhe marta hai", prefer="ur").language == "hi_latn"


def test_english_never_matches(lexicon):
    for text in ("my husband hits me", "I want to die", "what is a trauma bond", "he said he would kill me"):
        assert lexicon.find(text) is None


def test_normalise_strips_accents_but_keeps_the_hindi_vowel_signs():
    assert normalise("Policía") == "policia"
    assert normalise("đánh") == "danh"
    assert normalise("मारता") == "मारता"


def test_a_broken_lexicon_is_reported_with_its_place(tmp_path: Path):
    broken = tmp_path / "lexicon.yml"
    broken.write_text("languages:\n  es:\n    violense:\n      urgent: [me pega]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="es: unknown category `violense`"):
        read_language_lexicon(broken)
