"""Fixtures the component tests share: Rasa's model storage and the project's spaCy pipeline, built fresh."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.nlu.utils.spacy_utils import SpacyNLP

from tests.support.components import make_component
from untangle_nlu import spacy_pipeline
from untangle_nlu.danger_lexicon import LEXICON_FILE, DangerLexicon, read_lexicon


@pytest.fixture(scope="module")
def storage(tmp_path_factory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="module")
def spacy_nlp(tmp_path_factory, storage) -> SpacyNLP:
    """The project's spaCy pipeline (blank English, the norms, the lookup lemmatizer) as SpacyNLP loads it."""
    path = tmp_path_factory.mktemp("spacy") / "spacy-en-untangle"
    spacy_pipeline.build().to_disk(path)
    return make_component(SpacyNLP, {"model": str(path)}, storage, "spacy_nlp")


@pytest.fixture(scope="module")
def nlp():
    """The project's spaCy pipeline as a plain spaCy Language (for the lexicon and matcher tests)."""
    return spacy_pipeline.build()


@pytest.fixture(scope="module")
def lexicon(nlp) -> DangerLexicon:
    """The shipped danger lexicon, compiled for `nlp`."""
    return DangerLexicon(nlp, read_lexicon(LEXICON_FILE))
