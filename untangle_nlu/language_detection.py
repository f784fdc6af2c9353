"""Which language a message is written in, when it is not English (pure Python, no Rasa).

`LanguageDetection().identify(text)` returns None for English (and for anything it cannot place with confidence) or a
`LanguageGuess` with an ISO 639-1 code. Untangle only speaks English, so the cost of the two errors differs: an
English message taken for another language gets a reply it cannot use, so English is the default and every other
language must be earned:
1. Text mostly in another script (Arabic, Devanagari, Chinese characters, Cyrillic...) is not English; the script and
   py3langid (langid.py's model, shipped inside the package) tell which language it is.
2. Text in Latin letters is English when at least half of its words are English words: spaCy's English lemma table
   (the one the project's pipeline is built with, from spacy-lookups-data), its stop words, the project's own
   text-speak norms and a short list of chat words ("idk", "lol", "k thx"). A misspelt word or a foreign name or word
   in an English sentence does not tip it.
3. Otherwise py3langid, over the languages Untangle has words for plus English (short messages fool an identifier
   that knows 97 languages: "ele me bate" is not Romanian), helped by spaCy's stop-word lists, must be at least
   `min_confidence` sure. A language Untangle has no words for is reported only when py3langid is all but certain.
Hindi and Urdu written in Latin letters ("mujhe madad chahiye") look like nothing to py3langid: a short list of
common Hindustani words recognises them.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
import runpy
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

import yaml

NORMS_FILE = Path(__file__).with_name("spacy_norms.yml")
# Languages in Latin letters that the other-language lexicon covers, and English.
LATIN_LANGUAGES = ("en", "es", "fr", "pt", "pl", "de", "it", "vi")
# For text in another script, the languages py3langid chooses between (the first is the default).
SCRIPT_LANGUAGES: Dict[str, Tuple[str, ...]] = {
    "arabic": ("ar", "fa", "ur", "ps"),
    "perso-urdu": ("ur", "fa", "ps"),
    "devanagari": ("hi", "mr", "ne"),
    "han": ("zh",),
    "kana": ("ja",),
    "hangul": ("ko",),
    "cyrillic": ("ru", "uk", "bg", "sr", "mk", "be", "kk"),
    "greek": ("el",),
    "hebrew": ("he",),
    "thai": ("th",),
    "bengali": ("bn", "as"),
    "tamil": ("ta",),
    "gurmukhi": ("pa",),
    "gujarati": ("gu",),
    "armenian": ("hy",),
    "georgian": ("ka",),
    "ethiopic": ("am",),
}
SCRIPT_RANGES = (  # (first, last code point, script); Latin is checked separately
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x04FF, "cyrillic"),
    (0x0530, 0x058F, "armenian"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x0E00, 0x0E7F, "thai"),
    (0x10A0, 0x10FF, "georgian"),
    (0x1200, 0x137F, "ethiopic"),
    (0x3040, 0x30FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
    (0x1100, 0x11FF, "hangul"),
)
STOP_WORD_BONUS = 6.0  # log score per stop word of a language: enough to outweigh accents, not whole sentences
OTHER_LANGUAGE_MIN_WORDS, OTHER_LANGUAGE_MIN_CONFIDENCE = 3, 0.99
SCRIPT_MIN_CONFIDENCE = 0.99  # to choose Marathi over Hindi, Persian over Arabic...
SURE_MAX_ENGLISH_SHARE, SURE_MIN_WORDS, SURE_CONFIDENCE = 0.8, 4, 0.9999
SHORT_MESSAGE_WORDS = 4  # below this, half the words being English is enough ("cya later", "im sucidal")
MIN_SLIP_LENGTH = 9  # shorter foreign words are too often one letter from an English one ("controla")
URDU_LETTERS = frozenset("ٹڈڑںےۓ")  # letters Urdu has and Arabic and Persian do not
PERSO_URDU_LETTERS = frozenset("پچژگکی")  # letters Urdu and Persian have and Arabic does not
CHAT_WORDS = frozenset(
    """ok okay okey k kk idk idc lol lmao lmfao omg hmm hm hmmm mm mhm thx thanx tnx ty pls plz ya
yea yeah yep yup nope nah ex wtf tbh imo btw np ikr rn smh ugh meh aww haha hahaha hehe brb gtg ttyl jk ily xx xoxo
cuz coz bc tho wanna gonna gotta dunno kinda sorta y im ive dont cant wont didnt hes shes thats whats isnt wasnt
doesnt couldnt wouldnt shouldnt id ill youre theyre theres hows whos wats alot bday hun babe bro sis yo ta uh huh
um umm er erm ah oh ooh eh hey hiya heya yeh ye yah ngl fr uni aus nz uk usa ppl narc bff cya gaslighting gaslight
gaslit lovebombing lovebomb""".split()
)
# Common words of Hindi and Urdu in Latin letters that are not English words ("main", "me" and "the" are left out).
HINDUSTANI_WORDS = frozenset(
    """mera meri mere mujhe mujhko mujhse humein hamein tum tumhe tumhara tumhari aap aapko
aapka aapki woh wo voh yeh ye kya kyun kyon kyu nahi nahin nhi hai hain hoon hun hu tha thi ko ka ki ke se mein par aur
lekin bahut bohot bohat bhi kuch kabhi sab kaise kaisa kaun kahan yahan wahan accha acha achha theek thik haan ji pati
patni shohar biwi ghar madad chahiye chahta chahti karo karna karta karti karte raha rahi rahe gaya gayi diya liya dil
pyar pyaar dukh darr bachon bache baccha bacche beta beti dost zindagi jaan marta maarta marti peetta pitai dhamki
zabardasti khud apne apni apna usne usko uska uski unka batao bolo samajh pata sirf abhi phir fir yaar bhai behen
sasural saas talaq shaadi shadi mujhpe humko hamara hamari tera teri tere jeena jina marna maar maarna dar lagta
lagti hota hoti hote kyunki agar jab tab kar baat sakte sakta sakti ho hona hua hui hue kaha kehta kehti bola boli gaye
jao jana jata jati aao aana aata aati dekho dekha suno suna hum ham tujhe unhe unko inhe yahi wahi kab kitna kitni
zyada sach jhooth pagal bura buri achi ache log logon waqt samay raat aaj namaste salaam maaf maafi pareshan pareshaan
takleef gussa ghussa ladka ladki aadmi aurat saath bina liye wala wali wale""".split()
)
URDU_LEANING = frozenset("shohar khuda allah janab shukriya mehrbani khudkushi behtar zindagi".split())
HINDI_LEANING = frozenset("pati patni aatmhatya atmahatya dhanyavad dhanyawad kripya bhagwan vivah samasya".split())
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1
    confidence: float  # py3langid's probability among the candidates, or 1.0 for a script or word-list decision
    reason: str  # "script", "identifier" or "word list"


class LanguageDetection:
    def __init__(
        self, min_confidence: float = 0.9, max_english_share: float = 0.5, min_hindustani_words: int = 2
    ) -> None:
        self.min_confidence = min_confidence
        self.max_english_share = max_english_share
        self.min_hindustani_words = min_hindustani_words
        self.identifier = _identifier()
        self.english = english_words()
        for code in LATIN_LANGUAGES:
            stop_words(code)  # loaded now, not on the first message

    def identify(self, text: str) -> Optional[LanguageGuess]:
        """A language other than English, or None (English, or nothing to go on)."""
        scripts = _letters_by_script(text)
        letters = sum(scripts.values())
        if not letters:
            return None
        script, count = max(
            ((s, n) for s, n in scripts.items() if s != "latin"), key=lambda item: item[1], default=("latin", 0)
        )
        if count * 2 >= letters:
            return self._by_script(text, script, scripts)
        words = [word.lower() for word in WORD.findall(text)]
        share = self.english_share(words)
        if share > self.max_english_share or (share == self.max_english_share and len(words) < SHORT_MESSAGE_WORDS):
            if share > SURE_MAX_ENGLISH_SHARE or len(words) < SURE_MIN_WORDS:
                return None
            # Many French or Spanish words are also English ones ("merci beaucoup pour ton aide"): py3langid must
            # then be all but certain.
            return self._by_identifier(text, LATIN_LANGUAGES, floor=SURE_CONFIDENCE, other_languages=False)
        return self._hindustani(words) or self._by_identifier(text, LATIN_LANGUAGES)

    def english_share(self, words: Sequence[str]) -> float:
        """The share of words that are English words (a word with a letter typed three times is read once)."""
        latin = [word for word in words if all(_script(char) == "latin" for char in word)]
        if not latin:
            return 0.0
        return sum(self.is_english(word) for word in latin) / len(latin)

    def is_english(self, word: str) -> bool:
        """An English word, also typed with letters repeated ("sooo", "nahh") or, when long, with one slip
        ("reinforcment")."""
        if word in self.english or any(form in self.english for form in _squeezed(word)):
            return True
        return len(word) >= MIN_SLIP_LENGTH and any(form in self.english for form in _one_slip(word))

    def _by_script(self, text: str, script: str, scripts: Dict[str, int]) -> LanguageGuess:
        if script == "han" and scripts.get("kana"):
            return LanguageGuess("ja", 1.0, "script")
        if script == "arabic" and any(char in URDU_LETTERS for char in text):
            return LanguageGuess("ur", 1.0, "script")
        if script == "arabic" and any(char in PERSO_URDU_LETTERS for char in text):
            script = "perso-urdu"  # not Arabic: Urdu unless surely Persian or Pashto
        candidates = SCRIPT_LANGUAGES.get(script)
        if candidates and len(candidates) == 1:
            return LanguageGuess(candidates[0], 1.0, "script")
        guess = self._by_identifier(text, candidates, floor=0.0)
        if candidates and guess and guess.code != candidates[0] and guess.confidence < SCRIPT_MIN_CONFIDENCE:
            return LanguageGuess(candidates[0], 1.0, "script")  # Devanagari is Hindi unless surely Marathi
        return guess or LanguageGuess(candidates[0] if candidates else "und", 1.0, "script")

    def _hindustani(self, words: List[str]) -> Optional[LanguageGuess]:
        known = [word for word in words if word in HINDUSTANI_WORDS or word in URDU_LEANING | HINDI_LEANING]
        if len(known) < min(self.min_hindustani_words, len(words)) or len(known) * 5 < len(words) * 2:
            return None
        urdu = sum(word in URDU_LEANING for word in words) > sum(word in HINDI_LEANING for word in words)
        return LanguageGuess("ur" if urdu else "hi", 1.0, "word list")

    def _by_identifier(
        self, text: str, candidates: Sequence[str], floor: Optional[float] = None, other_languages: bool = True
    ) -> Optional[LanguageGuess]:
        """py3langid's choice among the candidates, if sure enough; for Latin letters with two helps (below)."""
        scores = self._scores(text, candidates)
        if not scores:
            return None
        code, confidence = _best(scores)
        if code != "en" and confidence >= (self.min_confidence if floor is None else floor):
            return LanguageGuess(code, confidence, "identifier")
        if candidates == LATIN_LANGUAGES and code != "en" and other_languages:
            return self._other_latin_language(text)
        return None

    def _scores(self, text: str, candidates: Sequence[str]) -> Dict[str, float]:
        """Log scores per candidate. For Latin letters, py3langid reads the text as typed and without accents (it
        takes a short "no sé qué hacer" for French from the accents alone), and each stop word of a language
        (spaCy's lists, compared without accents) adds `STOP_WORD_BONUS`."""
        scores = {code: score for code, score in self.identifier.rank(text) if code in candidates}
        if candidates != LATIN_LANGUAGES:
            return scores
        plain = unaccented(text)
        words = WORD.findall(plain)
        for code, score in self.identifier.rank(plain):
            if code in scores:
                scores[code] += score + STOP_WORD_BONUS * sum(word in stop_words(code) for word in words)
        return scores

    def _other_latin_language(self, text: str) -> Optional[LanguageGuess]:
        """A language Untangle has no words for ("ik heb hulp nodig"), when py3langid is all but certain of it."""
        if len(WORD.findall(text)) < OTHER_LANGUAGE_MIN_WORDS:
            return None
        code, confidence = _best(dict(self.identifier.rank(text)))
        if code in LATIN_LANGUAGES or confidence < OTHER_LANGUAGE_MIN_CONFIDENCE:
            return None
        return LanguageGuess(code, confidence, "identifier")


@functools.cache
def _identifier():
    """py3langid's model (inside the package, nothing downloaded), giving raw scores for every language."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=False)


@functools.cache
def english_words() -> FrozenSet[str]:
    """English words: spaCy's English lemma table (both forms) and, from four letters, its WordNet index of base
    words (shorter ones there are mostly abbreviations that are also French or Spanish words: "de", "la", "el"),
    the stop words, the project's text-speak norms and chat words."""
    import spacy_lookups_data
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.util import load_language_data

    lemmas = load_language_data(spacy_lookups_data.en["lemma_lookup"])
    index = load_language_data(spacy_lookups_data.en["lemma_index"])
    norms = (yaml.safe_load(NORMS_FILE.read_text(encoding="utf-8")) or {}).get("norms") or {}
    words = set(lemmas) | set(lemmas.values()) | set(STOP_WORDS) | set(map(str, norms)) | CHAT_WORDS
    words |= {word for base_words in index.values() for word in base_words if len(word) >= 4 and "_" not in word}
    words |= set(string.ascii_lowercase)  # "u", "r", "k"
    return frozenset(word.lower() for word in words)


@functools.cache
def stop_words(code: str) -> FrozenSet[str]:
    """spaCy's stop words of a language, without accents. The list's own file is read, not its language package
    (importing `spacy.lang.fr` compiles the French tokenizer exceptions: seconds)."""
    folder = Path(importlib.util.find_spec("spacy.lang").submodule_search_locations[0])
    words = runpy.run_path(str(folder / code / "stop_words.py"))["STOP_WORDS"]
    return frozenset(unaccented(word) for word in words)


def unaccented(text: str) -> str:
    return (
        "".join(char for char in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(char) != "Mn")
        .replace("ł", "l")
        .replace("đ", "d")
    )


def _best(scores: Dict[str, float]) -> Tuple[str, float]:
    """The best language and its probability among the candidates, from log scores."""
    code = max(scores, key=scores.__getitem__)
    return code, 1.0 / sum(math.exp(score - scores[code]) for score in scores.values())


def _script(char: str) -> Optional[str]:
    if not char.isalpha():  # digits, emoji, variation selectors
        return None
    code = ord(char)
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    for first, last, script in SCRIPT_RANGES:
        if first <= code <= last:
            return script
    return "other"


def _letters_by_script(text: str) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for char in text:
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return counts


def _squeezed(word: str) -> Tuple[str, ...]:
    """ "sooo" -> "so", "nahh" -> "nah": the word with repeated letters typed once, or twice."""
    return re.sub(r"(.)\1+", r"\1", word), re.sub(r"(.)\1{2,}", r"\1\1", word)


def _one_slip(word: str) -> Iterable[str]:
    """Every word one letter away: dropped, added, changed, or two neighbours swapped."""
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
            if len(right) > 1:
                yield left + right[1] + right[0] + right[2:]
        for letter in letters:
            yield left + letter + right
            if right:
                yield left + letter + right[1:]
