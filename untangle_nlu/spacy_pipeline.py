"""Build the spaCy pipeline Untangle's NLU uses, from code.

No pretrained English pipeline can be downloaded where Untangle is built, so the default is a blank
English pipeline with:
  1. `untangle_norms`: spaCy's AttributeRuler, filled from `spacy_norms.yml` (slang and misspellings);
  2. `lemmatizer`: spaCy's lookup lemmatizer with the tables from `spacy-lookups-data`.
Set SPACY_MODEL to an installed pipeline (a package name such as `en_core_web_md`, or a path) to build on
it instead; the norms are added in front of its own components.

Usage: python -m untangle_nlu.spacy_pipeline OUTPUT_DIR
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict

import spacy
import yaml
from spacy.language import Language

NORMS_FILE = Path(__file__).with_name("spacy_norms.yml")
NORMS_PIPE = "untangle_norms"


def load_norms(path: Path = NORMS_FILE) -> Dict[str, Dict[str, str]]:
    """Read the variant -> standard word table, lower-casing both sides: {variant: {"NORM": ..., "LEMMA": ...}}.

    A variant maps to one word (its NORM and LEMMA), or to `{norm: ..., lemma: ...}` when they differ, as spaCy's
    own do for contractions ("n't": NORM "not", LEMMA "not"; "'m": NORM "am", LEMMA "be")."""
    table = yaml.safe_load(path.read_text(encoding="utf-8"))["norms"]
    return {str(variant).lower(): _attrs(word) for variant, word in table.items()}


def _attrs(word: object) -> Dict[str, str]:
    if isinstance(word, dict):
        return {"NORM": str(word["norm"]).lower(), "LEMMA": str(word["lemma"]).lower()}
    return {"NORM": str(word).lower(), "LEMMA": str(word).lower()}


def add_norms(nlp: Language, norms: Dict[str, Dict[str, str]]) -> None:
    """Put an AttributeRuler first that sets NORM and LEMMA of each variant token."""
    ruler = nlp.add_pipe("attribute_ruler", name=NORMS_PIPE, first=True)
    for variant, attrs in norms.items():
        ruler.add(patterns=[[{"LOWER": variant}]], attrs=attrs)


def build(base_model: str | None = None) -> Language:
    """A blank English pipeline with a lookup lemmatizer, or `base_model` when given; both with the norms."""
    if base_model:
        nlp = spacy.load(base_model)
    else:
        nlp = spacy.blank("en")
        # Lookup mode needs no part-of-speech tags; its tables come from spacy-lookups-data.
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    add_norms(nlp, load_norms())
    nlp.meta["name"] = "untangle"
    nlp.meta["description"] = f"Untangle NLU pipeline built on {base_model or 'blank English'}"
    return nlp


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    base_model = os.environ.get("SPACY_MODEL") or None
    try:
        nlp = build(base_model)
    except OSError as error:
        print(f"error: cannot load the spaCy pipeline SPACY_MODEL={base_model!r}: {error}", file=sys.stderr)
        return 1
    Path(argv[0]).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(argv[0])
    print(f"spaCy pipeline ({', '.join(nlp.pipe_names)}) written to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
