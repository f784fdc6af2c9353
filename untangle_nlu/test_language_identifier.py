"""LanguageIdentifier with Rasa's own storage and message classes, after a pretend classifier's ranking."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from untangle_nlu.danger_marking import CHECK_IN, URGENT, DangerMark, mark_danger
from untangle_nlu.language_identifier import LANGUAGE_ATTRIBUTE, LanguageIdentifier

NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"

# Harmless messages, written for these tests; each language twice, in different registers.
HARMLESS = {
    "es": ["¿Puedo hablar contigo en español?", "no entiendo por qué sigo con él"],
    "fr": ["Est-ce que tu parles français ?", "je ne comprends pas pourquoi je reste avec lui"],
    "pt": ["Você fala português?", "não sei por que continuo com ele"],
    "pl": ["Czy mówisz po polsku?", "nie rozumiem, dlaczego wciąż z nim jestem"],
    "de": ["Sprichst du Deutsch?", "ich verstehe nicht, warum ich bei ihm bleibe"],
    "it": ["Parli italiano?", "non capisco perché resto con lui"],
    "ar": ["هل تتكلم العربية؟", "لا أفهم لماذا ما زلت معه"],
    "hi": [
        "क्या आप हिंदी बोलते हैं?",
        "मुझे समझ नहीं आता कि मैं उसके साथ क्यों हूँ",
        "mujhe samajh nahi aata main uske saath kyun hoon",
        "kya aap hindi mein baat kar sakte ho",
    ],
    "ur": ["کیا آپ اردو بولتے ہیں؟", "آپ کی مدد کا شکریہ", "mera shohar mujhse baat nahi karta"],
    "vi": ["Bạn có nói tiếng Việt không?", "tôi không hiểu tại sao tôi vẫn ở với anh ấy"],
    "zh": ["你会说中文吗？", "我不明白为什么我还和他在一起"],
}
ENGLISH = [
    "ok",
    "idk",
    "lol",
    "hmm",
    "yes",
    "stage 4",
    "k thx",
    "wat do i do now",
    "my boyfrend is so contolling",
    "im so confussed about evrything",
    "he keeps saying he's sorry, lo siento",
    "she called me her cariño",
    "me too",
    "merci for listening",
    "tbh idk",
    "i'm from mexico",
    "sooo tired",
    "cya later",
]


def make(config: Optional[Dict[str, Any]] = None, tmp: Optional[Path] = None, load: bool = False):
    storage = LocalModelStorage(tmp or Path("."))
    context = ExecutionContext(GraphSchema({}), node_name="language_identifier")
    config = {**LanguageIdentifier.get_default_config(), **(config or {})}
    build = LanguageIdentifier.load if load else LanguageIdentifier.create
    return build(config, storage, Resource("language_identifier"), context)


@pytest.fixture(scope="module")
def identifier(tmp_path_factory) -> LanguageIdentifier:
    return make(tmp=tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="module")
def parse(identifier):
    """A message through the identifier, after a pretend classifier's ranking and, optionally, English danger."""

    def run(text: str, ranking: Optional[List[tuple]] = None, english_danger: Optional[DangerMark] = None) -> Message:
        ranking = ranking or [("nlu_fallback", 0.3), ("share_experience", 0.2), ("greet", 0.1)]
        message = Message({TEXT: text})
        message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
        message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": c} for name, c in ranking])
        message.set(ENTITIES, [])
        if english_danger:
            mark_danger(message, english_danger, extractor="DangerDetector")
        return identifier.process([message])[0]

    return run


def entity(message: Message, name: str) -> Optional[str]:
    return next((e["value"] for e in message.get(ENTITIES) if e["entity"] == name), None)


def intent(message: Message) -> str:
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("language, text", [(code, text) for code, texts in HARMLESS.items() for text in texts])
def test_a_harmless_message_in_another_language_gets_other_language_and_its_code(parse, language, text):
    message = parse(text)
    assert intent(message) == "other_language" and message.get(INTENT)["confidence"] == 1.0
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "other_language"
    assert entity(message, "language") == language
    assert message.get(LANGUAGE_ATTRIBUTE)["code"] == language
    assert message.get("danger") is None


@pytest.mark.parametrize("text", ENGLISH)
def test_short_misspelt_or_mixed_english_stays_english(parse, text):
    message = parse(text, ranking=[("greet", 0.6), ("affirm", 0.2)])
    assert intent(message) == "greet"
    assert entity(message, "language") is None and message.get(LANGUAGE_ATTRIBUTE) is None


@pytest.mark.parametrize(
    "text, language, category",
    [
        ("necesito ayuda mi esposo me pega", "es", "violence"),
        ("je vais me suicider ce soir", "fr", "self_harm"),
        ("on mnie bije", "pl", "violence"),
        ("mein Freund hat gesagt, ich bring dich um", "de", "threats"),
        ("يهددني بالقتل كل ليلة", "ar", "threats"),
        ("mujhe madad chahiye, mera pati mujhe marta hai", "hi", "violence"),
        ("他在跟踪我，我好害怕", "zh", "immediate_danger"),
    ],
)
def test_urgent_danger_in_another_language_starts_the_crisis_flow(parse, text, language, category):
    message = parse(text)
    assert intent(message) == "danger" and message.get(INTENT)["confidence"] == 1.0
    danger = message.get("danger")
    assert danger["source"] == f"language:{language}" and danger["level"] == URGENT
    assert danger["category"] == category
    assert entity(message, "danger_level") == URGENT and entity(message, "danger_category") == category
    assert entity(message, "language") == language


def test_past_danger_in_another_language_gets_the_language_reply_and_a_check_in(parse):
    message = parse("el año pasado me violaron y todavía tengo pesadillas")
    assert intent(message) == "other_language"
    assert message.get("danger")["level"] == CHECK_IN and entity(message, "danger_level") == CHECK_IN
    assert entity(message, "danger_category") == "sexual_violence" and entity(message, "language") == "es"


@pytest.mark.parametrize("text, language", [("ele me bate", "pt"), ("mi picchia", "it")])
def test_danger_the_identifier_cannot_place_is_found_and_named_by_the_lexicon(parse, text, language):
    message = parse(text)
    assert intent(message) == "danger" and message.get("danger")["source"] == f"language:{language}"
    assert entity(message, "language") == language


def test_english_danger_already_found_is_kept_and_the_language_is_still_noted(parse):
    english = DangerMark(URGENT, "lexicon", ("self_harm",))
    message = parse("quiero morir", english_danger=english)
    assert message.get("danger")["source"] == "lexicon" and intent(message) == "danger"
    assert entity(message, "language") == "es"


def test_an_english_check_in_is_raised_to_urgent_by_foreign_urgent_danger(parse):
    english = DangerMark(CHECK_IN, "classifier")
    message = parse("mi novio me pega y tengo miedo por mi vida", english_danger=english)
    assert intent(message) == "danger" and message.get("danger")["level"] == URGENT
    assert message.get("danger")["source"] == "language:es"


def test_a_foreign_phrase_quoted_in_english_is_danger_but_the_reply_stays_english(parse):
    message = parse("he always says te voy a matar when he drinks", ranking=[("share_experience", 0.7)])
    assert intent(message) == "danger" and message.get("danger")["category"] == "threats"
    assert entity(message, "language") is None


def test_the_classifiers_other_language_on_an_english_message_gives_way(parse):
    message = parse("thanks so much", ranking=[("other_language", 0.5), ("thank", 0.4)])
    assert intent(message) == "thank"


def test_the_component_loads_as_it_is_created(tmp_path):
    loaded = make(tmp=tmp_path, load=True)
    message = Message({TEXT: "Ich brauche Hilfe, aber ich spreche kein Englisch"})
    assert entity(loaded.process([message])[0], "language") == "de"


def test_no_training_example_of_ours_is_taken_for_another_language(identifier):
    """Every English example in data/nlu: the false "other language" rate must stay at zero."""
    texts = [
        example.get(TEXT)
        for path in sorted(NLU_DATA.glob("*.yml"))
        for example in load_data(str(path)).intent_examples
        if example.get(TEXT)
    ]
    assert len(texts) > 1000
    taken = [text for text in texts if identifier.detection.identify(text)]
    assert not taken, f"{len(taken)} of {len(texts)} English examples taken for another language: {taken[:5]}"
