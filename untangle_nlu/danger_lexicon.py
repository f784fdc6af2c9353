"""The danger lexicon (`danger_lexicon.yml`) compiled into spaCy matchers, and what a message matches.

Pure spaCy, no Rasa: `DangerLexicon(nlp, read_lexicon()).find(doc)` says which danger categories a doc mentions,
whether it is about someone other than the writer, and whether every mention is negated or hypothetical
("I'd never hurt myself"). The file format is explained at the top of the YAML file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from untangle_nlu.danger_patterns import LexiconError, PatternCompiler

__all__ = ["DangerFinding", "DangerLexicon", "DangerMatch", "LexiconError", "read_lexicon"]

LEXICON_FILE = Path(__file__).with_name("danger_lexicon.yml")
PHRASE_ATTRS = ("LOWER", "NORM", "LEMMA")
SUBJECT_MODES = ("object", "subject", "never")
ENTRY_KEYS = ("phrases", "patterns", "check_in_phrases", "check_in_patterns")
SENTENCE_ENDS = {".", "!", "?", ";", "but"}
LOOK_BACK = 6  # words searched before a match for the person it is about
SAFE, YOUNG, PAST, LIGHT, REASSURED = "safe", "young", "past", "light", "reassured"
URGENT, CHECK_IN = "urgent", "check_in"
LEVELS = (URGENT, CHECK_IN)
# A mention of these, when it is someone else's, still needs the urgent flow (danger policy: a child at risk).
URGENT_FOR_OTHERS = {"child_at_risk"}
PASSIVE = {"be", "get", "got", "been"}
SUBJECTS = {"he", "she", "they", "someone", "somebody"}  # usually the one doing harm, not the one hurt


@dataclass(frozen=True)
class DangerMatch:
    category: str
    text: str
    start_char: int
    end_char: int
    about_other: bool
    negated: bool
    level: str = URGENT  # the entry's level, lowered to check_in for a past, negated or someone else's mention
    past: bool = False
    lowered: bool = False  # an urgent entry lowered by what surrounds it (past, negated, a joke, someone else's)


@dataclass(frozen=True)
class DangerFinding:
    matches: Tuple[DangerMatch, ...]
    categories: Tuple[str, ...]  # most urgent first

    @property
    def category(self) -> str:
        return self.categories[0]

    @property
    def about_other(self) -> bool:
        primary = [match for match in self.matches if match.category == self.category]
        return bool(primary) and all(match.about_other for match in primary)

    @property
    def negated(self) -> bool:
        return all(match.negated for match in self.matches)

    @property
    def level(self) -> str:
        """Urgent when any mention is, else check_in."""
        return URGENT if any(match.level == URGENT for match in self.matches) else CHECK_IN

    @property
    def lowered(self) -> bool:
        """Every mention was lowered by its context: nothing else may raise it to urgent."""
        return all(match.lowered for match in self.matches)


@dataclass(frozen=True)
class _Rule:
    category: str
    says_no: bool  # the rule's own words contain a negation ("can't go on"), so one inside is not a hedge
    level: str = URGENT


@functools.cache
def read_lexicon(path: Path = LEXICON_FILE) -> Dict[str, Any]:
    """The lexicon file, checked for the keys and types the matcher needs."""
    try:
        lexicon = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LexiconError(f"cannot read the danger lexicon {path}: {error}") from error
    if not isinstance(lexicon, dict) or not isinstance(lexicon.get("categories"), dict):
        raise LexiconError(f"{path}: the lexicon needs a `categories:` mapping")
    for name, category in lexicon["categories"].items():
        where = f"{path}: category `{name}`"
        if not isinstance(category, dict) or not any(category.get(key) for key in ENTRY_KEYS):
            raise LexiconError(f"{where} needs one of {', '.join(f'`{key}:`' for key in ENTRY_KEYS)}")
        if category.get("level", URGENT) not in LEVELS:
            raise LexiconError(f"{where}: `level` must be one of {', '.join(LEVELS)}")
        if category.get("someone_else", "object") not in SUBJECT_MODES:
            raise LexiconError(f"{where}: `someone_else` must be one of {', '.join(SUBJECT_MODES)}")
    for key in ("word_lists", "spellings"):
        if not isinstance(lexicon.get(key) or {}, dict):
            raise LexiconError(f"{path}: `{key}:` must be a mapping")
    return lexicon


class DangerLexicon:
    """spaCy matchers for every phrase and pattern of the lexicon, built once per spaCy pipeline."""

    def __init__(self, nlp: Language, lexicon: Dict[str, Any]) -> None:
        self.vocab = nlp.vocab
        self.compiler = PatternCompiler(nlp, lexicon.get("word_lists") or {})
        self.words = {
            key: {str(word).lower() for word in lexicon.get(key) or []}
            for key in (
                "negation_words",
                "hypothetical_words",
                "bridge_words",
                "writer_words",
                "writer_subject_words",
                "someone_else_words",
                "someone_else_reflexive",
                "someone_else_partners",
                "someone_else_pronouns",
            )
        }
        self.categories = list(lexicon["categories"])
        self.modes = {name: spec.get("someone_else", "object") for name, spec in lexicon["categories"].items()}
        self.spellings = {
            str(k).lower(): self._replacement(str(v).lower())
            for k, v in (lexicon.get("spellings") or {}).items()
            if str(k).lower() != str(v).lower()
        }
        self.fuzzy = [str(word).lower() for word in lexicon.get("fuzzy_words") or []]
        self.known = _known_words(nlp)
        self.rules: Dict[str, _Rule] = {}
        # LEMMA needs a lemmatizer (the project's pipeline has one; a bare pipeline still gets LOWER and NORM).
        attrs = [attr for attr in PHRASE_ATTRS if attr != "LEMMA" or "lemmatizer" in nlp.pipe_names]
        self.phrase_matchers = {attr: PhraseMatcher(nlp.vocab, attr=attr) for attr in attrs}
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab)
        for name, spec in lexicon["categories"].items():
            self._add(nlp, f"{name}", spec, category=name, level=spec.get("level", URGENT))
            check_in = {"phrases": spec.get("check_in_phrases"), "patterns": spec.get("check_in_patterns")}
            self._add(nlp, f"{name}|{CHECK_IN}", check_in, category=name, level=CHECK_IN)
        self._add(nlp, SAFE, lexicon.get("safe_uses") or {}, category=SAFE)
        self._add(nlp, PAST, {"phrases": lexicon.get("past_phrases") or []}, category=PAST)
        self._add(nlp, LIGHT, {"phrases": lexicon.get("light_phrases") or []}, category=LIGHT)
        self._add(nlp, YOUNG, lexicon.get("young_writer") or {}, category=YOUNG)
        self.reassurance = Matcher(nlp.vocab)
        for index, pattern in enumerate((lexicon.get("reassurance") or {}).get("patterns") or []):
            self.reassurance.add(f"{REASSURED}|t{index}", self.compiler.compile(str(pattern)))

    # --- building -------------------------------------------------------------------------------------------

    def _add(self, nlp: Language, key: str, spec: Dict[str, Any], category: str, level: str = URGENT) -> None:
        negations = self.words["negation_words"]
        for index, phrase in enumerate(spec.get("phrases") or []):
            rule_key = f"{key}|p{index}"
            exact = str(phrase).startswith("=")
            doc = nlp(str(phrase).lstrip("=").lower())
            self.rules[rule_key] = _Rule(category, any(_forms(token) & negations for token in doc), level)
            matchers = [self.exact_matcher] if exact else self.phrase_matchers.values()
            for matcher in matchers:
                matcher.add(rule_key, [doc])
        for index, pattern in enumerate(spec.get("patterns") or []):
            rule_key = f"{key}|t{index}"
            try:
                token_patterns = self.compiler.compile(str(pattern))
            except LexiconError as error:
                raise LexiconError(f"{key} pattern {pattern!r}: {error}") from None
            says_no = any(word.strip("?!=") in negations for word in str(pattern).replace("|", " ").split())
            self.rules[rule_key] = _Rule(category, says_no, level)
            self.matcher.add(rule_key, token_patterns)

    def _replacement(self, word: str) -> Tuple[str, str]:
        return word, self.compiler.lemma(word)

    # --- matching ---------------------------------------------------------------------------------------------

    def find(self, doc: Doc) -> Optional[DangerFinding]:
        """The danger a doc mentions, or None."""
        return self.read(doc)[0]

    def read(self, doc: Doc) -> Tuple[Optional[DangerFinding], bool]:
        """The danger a doc mentions (or None), and whether it uses a danger word in a known harmless sense ("hit me
        up"), in which case the classifier's guess is not to be trusted alone."""
        spans = self._spans(doc)
        corrected = self._corrected(doc)
        if corrected is not None:
            spans |= self._spans(corrected)
        safe = [(start, end) for key, start, end in spans if self.rules[key].category == SAFE]
        young = any(self.rules[key].category == YOUNG for key, _, _ in spans)
        sentences = _sentence_numbers(doc)
        past = {sentences[start] for key, start, _ in spans if self.rules[key].category == PAST}
        light = {sentences[start] for key, start, _ in spans if self.rules[key].category == LIGHT}
        matches = []
        # Where rules of several levels match the same words, the most urgent is read first and kept (_unique);
        # the rule key breaks the remaining ties, so a level never depends on the order of a set.
        for key, start, end in sorted(spans, key=lambda item: (item[1], item[2], self._rank(item[0]), item[0])):
            rule = self.rules[key]
            if rule.category in (SAFE, YOUNG, PAST, LIGHT) or any(s < end and start < e for s, e in safe):
                continue
            span = doc[start:end]
            about_other, negated = self._about_other(span, rule.category), self._negated(span, rule)
            in_past = sentences[start] in past
            joking = sentences[start] in light
            lowered = negated or in_past or joking or (about_other and rule.category not in URGENT_FOR_OTHERS)
            matches.append(
                DangerMatch(
                    rule.category,
                    span.text,
                    span.start_char,
                    span.end_char,
                    about_other,
                    negated,
                    CHECK_IN if lowered else rule.level,
                    in_past,
                    lowered and rule.level == URGENT,
                )
            )
        matches = _threats_not_self_harm(matches)
        if not matches:
            return None, bool(safe)
        found = {match.category for match in matches} | ({"child_at_risk"} if young else set())
        categories = tuple(name for name in self.categories if name in found)
        return DangerFinding(tuple(_unique(matches)), categories), bool(safe)

    def reassured(self, doc: Doc) -> bool:
        """Whether the writer says they are safe ("im not in danger", "no emergency"): see `reassurance` in the YAML."""
        return bool(self.reassurance(doc))

    def _rank(self, key: str) -> int:
        return 0 if self.rules[key].level == URGENT else 1

    def about_someone_else(self, doc: Doc, start: int = 0, end: Optional[int] = None) -> bool:
        """For danger found without a match (the scorer, in the text from `start` to `end`): does it name someone
        else at risk? A relative, friend or child does; a partner only when no word is the writer's."""
        span = doc.char_span(start, len(doc.text) if end is None else end, alignment_mode="expand") or doc[:]
        forms = [_forms(token) for token in span]
        if any(f & self.words["writer_words"] for f in forms):
            return False
        partners = self.words["someone_else_partners"]
        others = self.words["someone_else_words"] - self.words["someone_else_pronouns"] - partners
        if any(f & others for f in forms):
            return True
        writer = self.words["writer_subject_words"]
        return any(f & partners for f in forms) and not any(f & writer for f in forms)

    def _spans(self, doc: Doc) -> Set[Tuple[str, int, int]]:
        strings = self.vocab.strings
        found = set()
        for matcher in [self.matcher, self.exact_matcher, *self.phrase_matchers.values()]:
            found |= {(strings[match_id], start, end) for match_id, start, end in matcher(doc)}
        return found

    def _corrected(self, doc: Doc) -> Optional[Doc]:
        """The doc with misspelt danger words replaced (same number of words), or None when nothing changed."""
        replacements = [self.spellings.get(token.lower_) or self._fuzzy(token) for token in doc]
        if not any(replacements):
            return None
        words = [r[0] if r else t.text for t, r in zip(doc, replacements, strict=True)]
        lemmas = [r[1] if r else t.lemma_ for t, r in zip(doc, replacements, strict=True)]
        corrected = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc], lemmas=lemmas)
        for token, original, replacement in zip(corrected, doc, replacements, strict=True):
            token.norm_ = replacement[0] if replacement else original.norm_
        return corrected

    def _fuzzy(self, token: Token) -> Optional[Tuple[str, str]]:
        """A long danger word typed with one slip ("strangeld"), unless the typed word is a word of its own."""
        text = token.lower_
        if len(text) < 6 or not token.is_alpha or self.known(text):
            return None
        for word in self.fuzzy:
            if word != text and abs(len(word) - len(text)) <= 1 and _one_edit_apart(text, word):
                return self._replacement(word)
        return None

    def _about_other(self, span: Span, category: str) -> bool:
        """Whether the person at risk is someone other than the writer (see `someone_else:` in the YAML)."""
        mode = self.modes.get(category, "object")
        if mode == "never":
            return False
        others = self.words["someone_else_words"]
        if category == "threats":
            others = others - self.words["someone_else_reflexive"]
        objects = others - SUBJECTS
        doc = span.doc
        words = [_forms(token) for token in span] + [_forms(token) for token in doc[span.end : span.end + 1]]
        if any(forms & self.words["writer_words"] for forms in words):
            return False
        if any(forms & objects for forms in words):
            return True
        if mode != "subject":
            return False
        passive = False  # "she was raped": a he/she before "was" is the person hurt, not the one hurting
        for token in _before(span):
            forms = _forms(token)
            if forms & (self.words["writer_words"] | self.words["writer_subject_words"]):
                return False
            if forms & objects or (forms & SUBJECTS and (passive or category == "self_harm")):
                return True
            passive = passive or bool(forms & PASSIVE)
        return False

    def _negated(self, span: Span, rule: _Rule) -> bool:
        """A negation or "if" just before the match, or a negation inside a match whose rule has none."""
        cues = self.words["negation_words"] | self.words["hypothetical_words"]
        if not rule.says_no and any(_forms(token) & self.words["negation_words"] for token in span):
            return True
        for token in _before(span, limit=5):
            forms = _forms(token)
            if forms & cues:
                return True
            if not forms & self.words["bridge_words"]:
                return False
        return False


def _known_words(nlp: Language) -> Callable[[str], bool]:
    """Whether a word is in the lemmatizer's dictionary (fuzzy matching leaves those alone)."""
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is None or not lookups.has_table("lemma_lookup"):
        return lambda word: False
    table = lookups.get_table("lemma_lookup")
    return lambda word: word in table


def _forms(token: Token) -> Set[str]:
    return {token.lower_, token.lemma_}


def _before(span: Span, limit: int = LOOK_BACK) -> Iterable[Token]:
    """The words before a match, nearest first, within the same sentence."""
    doc = span.doc
    for index in range(span.start - 1, max(span.start - 1 - limit, -1), -1):
        if doc[index].lower_ in SENTENCE_ENDS:
            return
        yield doc[index]


def _sentence_numbers(doc: Doc) -> List[int]:
    """Each token's sentence, counted from 0 (sentences end at the words of SENTENCE_ENDS)."""
    numbers, current = [], 0
    for token in doc:
        numbers.append(current)
        current += token.lower_ in SENTENCE_ENDS or "\n" in token.text
    return numbers


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diffs) == 1 or (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _threats_not_self_harm(matches: List[DangerMatch]) -> List[DangerMatch]:
    """Someone threatening suicide to control the writer ("he'll kill himself if I leave") is a threat to the writer
    (danger policy, item 3), not self-harm of the writer's own: such a self-harm match inside a threat is dropped."""
    threats = [(m.start_char, m.end_char) for m in matches if m.category == "threats"]
    return [
        m
        for m in matches
        if not (
            m.category == "self_harm"
            and m.about_other
            and any(start < m.end_char and m.start_char < end for start, end in threats)
        )
    ]


def _unique(matches: List[DangerMatch]) -> Iterable[DangerMatch]:
    seen = set()
    for match in matches:
        key = (match.category, match.start_char, match.end_char)
        if key not in seen:
            seen.add(key)
            yield match
