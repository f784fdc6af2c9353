"""The lexicon's pattern notation ("@hurt_verb @me", "?really", "=kms") compiled into spaCy Matcher patterns.

The notation is explained at the top of danger_lexicon.yml. A word matches in any form: it is compared by lemma,
using the lemmas of the same spaCy pipeline that reads the messages.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any, Dict, List, Mapping, Sequence

from spacy.language import Language

TokenPattern = List[Dict[str, Any]]


class LexiconError(ValueError):
    """The lexicon file cannot be used; the message names the entry."""


class PatternCompiler:
    def __init__(self, nlp: Language, word_lists: Mapping[str, Sequence[str]]) -> None:
        self.lists = {name: [str(word).lower() for word in words] for name, words in word_lists.items()}
        self.lemma = functools.lru_cache(maxsize=None)(functools.partial(lemma_of, nlp))

    def compile(self, pattern: str) -> List[TokenPattern]:
        """One pattern line into spaCy token patterns (a step mixing exact and any-form words needs two)."""
        steps = [self._step(step) for step in pattern.split()]
        if not steps:
            raise LexiconError("empty pattern")
        return [list(choice) for choice in itertools.product(*steps)]

    def _step(self, step: str) -> List[Dict[str, Any]]:
        optional = step.startswith("?")
        step = step[1:] if optional else step
        negate = step.startswith("!")
        step = step[1:] if negate else step
        if step == "*":
            specs: List[Dict[str, Any]] = [{}]
        elif step == "#number":
            specs = [{"LIKE_NUM": True}]
        else:
            lemmas, exact = set(), set()
            for alternative in step.split("|"):
                words = self._words(alternative.lstrip("="))
                if alternative.startswith("="):
                    exact.update(words)
                else:
                    lemmas.update(map(self.lemma, words))
            operator = "NOT_IN" if negate else "IN"
            specs = [{"LEMMA": {operator: sorted(lemmas)}}] if lemmas else []
            specs += [{"LOWER": {operator: sorted(exact)}}] if exact else []
            if negate:  # "none of these": both conditions on one token
                specs = [{key: value for spec in specs for key, value in spec.items()}]
        return [{**spec, "OP": "?"} if optional else spec for spec in specs]

    def _words(self, item: str) -> List[str]:
        if item.startswith("@"):
            if item[1:] not in self.lists:
                raise LexiconError(f"no word list called {item[1:]!r}")
            return self.lists[item[1:]]
        if not item:
            raise LexiconError("an empty step (two `|` in a row?)")
        return [item.lower()]


def lemma_of(nlp: Language, word: str) -> str:
    """The lemma spaCy gives one word; an error for what spaCy reads as several words."""
    doc = nlp(word)
    if len(doc) != 1 and word.startswith("'"):  # a contraction on its own ("'m"): read it after a word
        doc = nlp(f"i{word}")[1:]
    if len(doc) != 1:
        raise LexiconError(
            f"{word!r} is {len(doc)} words to spaCy ({' '.join(t.text for t in doc)}); write them as separate steps"
        )
    return doc[0].lemma_ or word
