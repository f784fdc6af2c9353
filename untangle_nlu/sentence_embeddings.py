"""SentenceEmbeddingFeaturizer: the pretrained sentence encoder all-MiniLM-L6-v2 as a Rasa dense featurizer.

Each message with text gets one dense *sentence* feature for TEXT, shape (1, 384): the encoder's unit vector of the
whole text (cut at 256 word pieces), which LogisticRegressionClassifier reads beside the count vectors. A message of
more than one sentence also gets the attribute `sentence_embeddings`: [(start_char, end_char, vector), ...], one
per sentence (`split_sentences`), so that one danger sentence inside a long post can be scored on its own
(untangle_nlu/danger_scorer.py). It is not an output property: parse results and trackers carry no vectors.

The encoder is read from `model`, a folder made by `make encoder`, once per process: every component and every
loaded model with the same folder and runtime shares one copy. `runtime` says how it runs: `numpy`
(untangle_nlu/minilm.py, sentence-transformers' float vectors) or `onnx_int8` (untangle_nlu/minilm_onnx.py: the
int8 graph `make encoder-int8` builds, run by onnxruntime; about 4 times cheaper, vectors within a cosine of 0.99
of the float ones). Without that graph or onnxruntime it falls back to numpy, and says so in one log line.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from untangle_nlu.minilm import MiniLM, SentenceEncoder

logger = logging.getLogger(__name__)

SENTENCES_ATTRIBUTE = "sentence_embeddings"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
Span = Tuple[int, int]

# Sentence splitting. A sentence ends at a run of . ! ? or … (so "..." and "?!" end one sentence), with any closing
# quotes, brackets or emoji right after it, followed by white space; or at a line break. "3.5" and "site.com" end none.
_SENTENCE_END = re.compile(r"[.!?…]+[^\w\s]*(?=\s|$)|\n+")
# A full stop after these is no sentence end.
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "eg", "e.g", "ie", "i.e", "approx"}
_WORD = re.compile(r"\S+")
_HAS_CONTENT = re.compile(r"\w")
# Run-on text (social media posts often have no punctuation): a stretch of more than LONG_RUN_WORDS words is cut
# into windows of WINDOW_WORDS words, each overlapping the next by WINDOW_OVERLAP words so no phrase is cut apart.
LONG_RUN_WORDS = 60
WINDOW_WORDS = 40
WINDOW_OVERLAP = 10
# At most this many sentence vectors per message: 40 covers a 600-word post sentence by sentence; a longer post has
# its neighbouring sentences grouped into 40 spans, so its end is still read (the channels cap messages at 20,000
# characters; each span is cut at 256 word pieces by the encoder).
MAX_SENTENCES = 40


def split_sentences(text: str) -> List[Span]:
    """(start, end) character offsets of the text's sentences, white space trimmed, in order."""
    spans: List[Span] = []
    start = 0
    for end_mark in _SENTENCE_END.finditer(text):
        if end_mark.group().startswith(".") and _follows_abbreviation(text, end_mark.start()):
            continue
        spans.extend(_windows(text, start, end_mark.end()))
        start = end_mark.end()
    spans.extend(_windows(text, start, len(text)))
    return spans


def _follows_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation ("Dr.", "e.g.") or an initial ("J.")."""
    word = text[:dot].rsplit(None, 1)[-1].lower() if text[:dot].strip() else ""
    word = word.lstrip("(\"'")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and word != "i")


def _windows(text: str, start: int, end: int) -> List[Span]:
    """The trimmed span text[start:end], or its overlapping word windows when it is a long run; none if empty."""
    words = [(match.start(), match.end()) for match in _WORD.finditer(text, start, end)]
    if not words or not _HAS_CONTENT.search(text, start, end):
        return []
    if len(words) <= LONG_RUN_WORDS:
        return [(words[0][0], words[-1][1])]
    step = WINDOW_WORDS - WINDOW_OVERLAP
    firsts = list(range(0, len(words) - WINDOW_WORDS, step)) + [len(words) - WINDOW_WORDS]
    return [(words[first][0], words[first + WINDOW_WORDS - 1][1]) for first in firsts]


def group_spans(spans: List[Span], limit: int = MAX_SENTENCES) -> List[Span]:
    """At most `limit` spans covering the same text: neighbouring spans are joined into groups of equal count."""
    if len(spans) <= limit:
        return spans
    size = -(-len(spans) // limit)  # ceiling division
    return [(spans[first][0], spans[min(first + size, len(spans)) - 1][1]) for first in range(0, len(spans), size)]


RUNTIMES = ("numpy", "onnx_int8")
_ENCODERS: Dict[Tuple[Path, str, int], SentenceEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def resolve_model_folder(model: Text) -> Path:
    """The encoder folder: as given when absolute or found from the working directory, else under the project."""
    folder = Path(model)
    if folder.is_absolute() or folder.exists():
        return folder.resolve()
    return (PROJECT_ROOT / folder).resolve()


def shared_encoder(model: Text, runtime: Text = "numpy", threads: int = 1) -> SentenceEncoder:
    """The encoder of that folder, runtime and number of threads (onnxruntime's; numpy ignores it), loaded once per
    process (60-100 MB)."""
    folder = resolve_model_folder(model)
    key = (folder, runtime, 1 if runtime == "numpy" else threads)
    with _ENCODERS_LOCK:
        if key not in _ENCODERS:
            _ENCODERS[key] = _load_encoder(*key)
        return _ENCODERS[key]


def _load_encoder(folder: Path, runtime: Text, threads: int) -> SentenceEncoder:
    if runtime == "numpy":
        return MiniLM.load(folder)
    from untangle_nlu.minilm import EncoderFilesMissing
    from untangle_nlu.minilm_onnx import MiniLMOnnx

    try:
        return MiniLMOnnx.load(folder, runtime, threads=threads)
    except (EncoderFilesMissing, ImportError) as missing:
        logger.warning("Sentence encoder runtime %s unavailable (%s); using numpy", runtime, missing)
        return MiniLM.load(folder)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the pretrained encoder's vector of each message (and of each of its sentences) to the message."""

    @staticmethod
    def required_packages() -> List[Text]:
        return ["tokenizers", "safetensors"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # the folder `make encoder` fills; a relative path is read from the project root, like SpacyNLP's model
            "model": "build/minilm-l6-v2",
            # texts encoded together while featurizing the training data
            "batch_size": 64,
            # numpy, or onnx_int8: the int8 graph `make encoder-int8` builds (numpy when it is missing)
            "runtime": "numpy",
            # onnxruntime's threads while featurizing the training data (0: one per CPU); a served message always
            # uses one, since the server answers several people at once
            "training_threads": 0,
        }

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, {**self.get_default_config(), **config})
        self.encoder = shared_encoder(self._config["model"], self._config["runtime"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not config.get("model"):
            raise ValueError("SentenceEmbeddingFeaturizer needs `model`: the folder `make encoder` makes")
        if config.get("runtime", "numpy") not in RUNTIMES:
            raise ValueError(f"SentenceEmbeddingFeaturizer's `runtime` is one of {', '.join(RUNTIMES)}")

    def process(self, messages: List[Message]) -> List[Message]:
        return self._featurize(messages, self.encoder)

    def _featurize(self, messages: List[Message], encoder: SentenceEncoder) -> List[Message]:
        with_text = [message for message in messages if _text_of(message)]
        spans = [self._sentence_spans(_text_of(message)) for message in with_text]
        texts = [_text_of(message) for message in with_text]
        for message, message_spans in zip(with_text, spans, strict=True):
            texts.extend(_text_of(message)[start:end] for start, end in message_spans)
        vectors = iter(encoder.encode(texts, batch_size=self._config["batch_size"]))
        whole_vectors = [next(vectors) for _ in with_text]
        for message, whole, message_spans in zip(with_text, whole_vectors, spans, strict=True):
            self.add_features_to_message(None, whole[np.newaxis, :], TEXT, message)
            if message_spans:
                message.set(
                    SENTENCES_ATTRIBUTE,
                    [(start, end, next(vectors)) for start, end in message_spans],
                    add_to_output=False,
                )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        threads = self._config["training_threads"] or os.cpu_count() or 1
        encoder = shared_encoder(self._config["model"], self._config["runtime"], threads)
        self._featurize(training_data.training_examples, encoder)
        return training_data

    @staticmethod
    def _sentence_spans(text: str) -> List[Span]:
        """The spans to encode one by one: none for a single sentence (its vector is the message's)."""
        spans = group_spans(split_sentences(text))
        return spans if len(spans) > 1 else []


def _text_of(message: Message) -> Optional[str]:
    """The message's text, or None when it has none worth encoding (missing or only white space)."""
    text = message.get(TEXT)
    return text if isinstance(text, str) and text.strip() else None
