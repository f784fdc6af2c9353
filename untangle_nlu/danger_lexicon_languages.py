"""The other-language danger lexicon (`danger_lexicon_languages.yml`) compiled into spaCy matchers.

Pure spaCy, no Rasa: `LanguageDangerLexicon(read_language_lexicon()).find(text, prefer="es")` says which danger
categories a message mentions in which language, and at which level (`urgent` / `check_in`). Messages and phrases
are tokenised by blank spaCy pipelines (no model to download) and each language is matched with its own
`PhraseMatcher` on NORM (and a `Matcher` for phrases with a gap), NORM being set here to the word in lower case
without accents or diacritics, so "policia" matches "policía" and "danh toi" matches "đánh tôi". Chinese is written
without spaces and no word segmenter ships with spaCy: the blank Chinese pipeline's default `char` segmenter makes
one token per character, so a Chinese phrase matches as a substring of the message.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from untangle_nlu.danger_patterns import LexiconError

__all__ = [
    "LANGUAGES_FILE",
    "LanguageDangerLexicon",
    "LanguageFinding",
    "LanguageMatch",
    "normalise",
    "read_language_lexicon",
]

LANGUAGES_FILE = Path(__file__).with_name("danger_lexicon_languages.yml")
# The English lexicon's order: most urgent first; the first one found chooses the framing of the referral.
CATEGORIES = (
    "immediate_danger",
    "self_harm",
    "child_at_risk",
    "sexual_violence",
    "harm_to_others",
    "violence",
    "threats",
)
URGENT, CHECK_IN = "urgent", "check_in"
LEVELS = (URGENT, CHECK_IN)
ROMANISED_HINDUSTANI = "hi_latn"
GAP, GAP_WORDS = "...", 3
SCRIPT = {"ar": "arabic", "ur": "arabic", "hi": "devanagari", "zh": "han"}  # all other sections: Latin letters
# Letters with no accent to strip that people type without their stroke, and Arabic/Urdu letters typed either way.
FOLDED = {
    "ł": "l",
    "đ": "d",
    "ß": "ss",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
    "ه": "ہ",
    "ة": "ہ",
    "ھ": "ہ",
    "ـ": "",
    "ँ": "ं",
    "’": "'",
}
GERMAN_SPELLING = {"ä": "ae", "ö": "oe", "ü": "ue"}
DEVANAGARI_MARKS_KEPT = range(0x0900, 0x0980)  # vowel signs carry the word; only the nukta is dropped
NUKTA = "\u093c"


@functools.lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case without accents or diacritics: the NORM every phrase and message is compared on."""
    if text.isascii():
        return text.lower()
    kept = []
    for char in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.category(char) == "Mn" and (ord(char) not in DEVANAGARI_MARKS_KEPT or char == NUKTA):
            continue
        kept.append(FOLDED.get(char, char))
    return unicodedata.normalize("NFC", "".join(kept))


def script_of(char: str) -> Optional[str]:
    """The script of a letter, as far as this lexicon cares: latin, arabic, devanagari, han, or None."""
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x0900 <= code <= 0x097F:
        return "devanagari"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if char.isalpha() and (code < 0x0250 or 0x1E00 <= code <= 0x1EFF):
        return "latin"
    return None


def scripts_in(text: str) -> Set[str]:
    if text.isascii():
        return {"latin"} if any(char.isalpha() for char in text) else set()
    return {script for script in map(script_of, set(text)) if script}


@dataclass(frozen=True)
class LanguageMatch:
    category: str
    level: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class LanguageFinding:
    language: str  # the lexicon section: an ISO 639-1 code, or hi_latn
    matches: Tuple[LanguageMatch, ...]

    @property
    def categories(self) -> Tuple[str, ...]:
        found = {match.category for match in self.matches}
        return tuple(name for name in CATEGORIES if name in found)

    @property
    def category(self) -> str:
        return self.categories[0]

    @property
    def level(self) -> str:
        return URGENT if any(match.level == URGENT for match in self.matches) else CHECK_IN


@functools.cache
def read_language_lexicon(path: Path = LANGUAGES_FILE) -> Dict[str, Any]:
    """The lexicon file, checked for the keys and types the matchers need."""
    try:
        lexicon = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LexiconError(f"cannot read the other-language danger lexicon {path}: {error}") from error
    if not isinstance(lexicon, dict) or not isinstance(lexicon.get("languages"), dict):
        raise LexiconError(f"{path}: the lexicon needs a `languages:` mapping")
    for language, section in lexicon["languages"].items():
        if not isinstance(section, dict):
            raise LexiconError(f"{path}: language `{language}` must be a mapping of categories")
        for name, levels in section.items():
            if name == "safe":
                continue
            if name not in CATEGORIES:
                raise LexiconError(f"{path}: {language}: unknown category `{name}` (one of {', '.join(CATEGORIES)})")
            if not isinstance(levels, dict) or set(levels) - set(LEVELS) or not any(levels.values()):
                raise LexiconError(f"{path}: {language} {name}: needs `urgent:` and/or `check_in:` phrase lists")
    return lexicon


class _Section:
    """One language's matchers, over the docs of a tokenizer shared with other sections."""

    def __init__(self, language: str, spec: Dict[str, Any], nlp: Language) -> None:
        self.language = language
        self.script = SCRIPT.get(language, "latin")
        self.nlp = nlp
        self.phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self.gaps = Matcher(nlp.vocab)
        self.rules: Dict[str, Tuple[str, str]] = {}
        for category, levels in spec.items():
            if category == "safe":
                continue
            for level, phrases in levels.items():
                for index, phrase in enumerate(phrases or []):
                    self._add(f"{category}|{level}|{index}", str(phrase), (category, level))
        for index, phrase in enumerate(spec.get("safe") or []):
            self._add(f"safe|{index}", str(phrase), ("safe", ""))

    def _add(self, key: str, phrase: str, rule: Tuple[str, str]) -> None:
        self.rules[key] = rule
        for variant in _spellings(self.language, phrase):
            if GAP in variant:
                parts = [_doc(self.nlp, part.strip()) for part in variant.split(GAP)]
                self.gaps.add(key, [_gap_pattern(parts)])
            else:
                self.phrases.add(key, [_doc(self.nlp, variant)])

    def find(self, doc: Doc) -> List[LanguageMatch]:
        strings = self.nlp.vocab.strings
        matchers = [self.phrases] + ([self.gaps] if len(self.gaps) else [])
        spans = {(strings[key], start, end) for matcher in matchers for key, start, end in matcher(doc)}
        safe = [(start, end) for key, start, end in spans if self.rules[key][0] == "safe"]
        spans = {
            (key, start, end)
            for key, start, end in spans
            if self.rules[key][0] != "safe" and not any(s < end and start < e for s, e in safe)
        }
        matches = []
        for key, start, end in _longest(spans):
            category, level = self.rules[key]
            span = doc[start:end]
            matches.append(LanguageMatch(category, level, span.text, span.start_char, span.end_char))
        return matches


class LanguageDangerLexicon:
    """The matchers of every language section, built once.

    All sections but Chinese share one tokenizer, spaCy's blank multi-language one with apostrophes split off
    ("m'a" is "m ' a", like the phrases): a message is tokenised twice at most, not once per language, and the
    French and German pipelines' large exception tables (seconds to load) are not needed.
    """

    def __init__(self, lexicon: Dict[str, Any]) -> None:
        self.nlps = {"words": _word_tokenizer(), "han": spacy.blank("zh")}  # zh: one token per character
        self.sections = [
            _Section(language, spec, self._nlp_for(language)) for language, spec in lexicon["languages"].items()
        ]

    def _nlp_for(self, language: str) -> Language:
        return self.nlps["han" if SCRIPT.get(language) == "han" else "words"]

    @property
    def languages(self) -> List[str]:
        return [section.language for section in self.sections]

    def find(self, text: str, prefer: Optional[str] = None) -> Optional[LanguageFinding]:
        """The danger the text mentions in any language of the lexicon, or None.

        Every section whose script the text uses is tried, so a message the language identifier could not place
        ("on mnie bije", three short words) is still found. The identified language (`prefer`) wins when it
        matched; otherwise the section with an urgent match, then the one that matched the most text.
        """
        present = scripts_in(text)
        docs: Dict[int, Doc] = {}
        findings = []
        for section in self.sections:
            if section.script not in present:
                continue
            doc = docs.get(id(section.nlp)) or docs.setdefault(id(section.nlp), _doc(section.nlp, text))
            matches = section.find(doc)
            if matches:
                findings.append(LanguageFinding(section.language, tuple(matches)))
        if not findings:
            return None
        preferred = [f for f in findings if f.language in _sections_for(prefer)]
        if preferred:
            return preferred[0]
        return max(findings, key=lambda f: (f.level == URGENT, sum(m.end - m.start for m in f.matches)))


def _sections_for(language: Optional[str]) -> Tuple[str, ...]:
    """The sections of an identified language: Hindi and Urdu are also written in Latin letters."""
    return (language, ROMANISED_HINDUSTANI) if language in ("hi", "ur") else (language,)


def _word_tokenizer() -> Language:
    nlp = spacy.blank("xx")
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[^\W\d_])['’](?=[^\W\d_])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def _doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    for token in doc:
        token.norm_ = normalise(token.text)
    return doc


def _spellings(language: str, phrase: str) -> Iterable[str]:
    """The phrase, and for German also with "ae oe ue" for "ä ö ü" (both are common in chat)."""
    yield phrase
    if language == "de" and any(char in phrase for char in GERMAN_SPELLING):
        yield "".join(GERMAN_SPELLING.get(char, char) for char in phrase)


def _gap_pattern(parts: List[Doc]) -> List[Dict[str, Any]]:
    pattern: List[Dict[str, Any]] = []
    for index, part in enumerate(parts):
        if index:
            pattern += [{"OP": "?"}] * GAP_WORDS
        pattern += [{"NORM": token.norm_} for token in part]
    return pattern


def _longest(spans: Set[Tuple[str, int, int]]) -> List[Tuple[str, int, int]]:
    """Matches not inside a longer one: "a veces quiero morir" (check-in) hides its "quiero morir" (urgent)."""
    ordered = sorted(spans, key=lambda item: (item[1], -(item[2] - item[1])))
    return [
        (key, start, end)
        for key, start, end in ordered
        if not any(s <= start and end <= e and (e - s) > (end - start) for _, s, e in spans)
    ]
