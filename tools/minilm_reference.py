"""Reference vectors for untangle_nlu/test_minilm.py, computed with the official sentence-transformers implementation.

Not run in CI, and nothing it needs belongs in .venv: it runs once, by hand, in a throwaway environment with torch.

    make encoder                                   # build/minilm-l6-v2
    python3.11 -m venv /tmp/minilm-ref
    /tmp/minilm-ref/bin/pip install torch==2.13.0 sentence-transformers
    HF_HUB_OFFLINE=1 /tmp/minilm-ref/bin/python tools/minilm_reference.py build/minilm-l6-v2 \
        untangle_nlu/minilm_reference.json

The folder holds only model.safetensors, tokenizer.json and config.json, so the model's sentence-transformers
modules are spelled out here as the model card has them: Transformer (max_seq_length 256), mean Pooling, Normalize.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Our own sentences: short, typical, long (over 256 word pieces), non-ASCII, near-empty, emoji.
LONG_TEXT = " ".join(
    [
        "It started so well that I still measure every bad week against those first months, when he called every",
        "evening, remembered the smallest things I said and made plans for trips we never ended up taking.",
        "Then the rules arrived one at a time: which friends were fine, how late I could stay out, what I was",
        "allowed to wear to my sister's birthday, why my phone needed to stay face up on the table.",
        "When I pushed back he went quiet for days, and the silence felt worse than any shouting could have,",
        "so I learned to apologise first, even when I could not say what I had done wrong.",
        "After the worst nights he would cry, bring flowers, promise to see someone, and for a week or two he",
        "was the person I fell for, which made me think the problem had to be me and my moods.",
        "My manager noticed I was losing weight and asked whether everything was all right at home, and I",
        "laughed it off, because saying it out loud would have made it real and I was not ready for that.",
        "I moved out in the spring, stayed with a cousin, blocked his number, and then unblocked it three",
        "weeks later at two in the morning because the quiet in that spare room was unbearable.",
        "Now I read our old messages, the kind ones and the cruel ones side by side, and I cannot work out",
        "which version of him was real, or why leaving someone who frightened me feels like losing a limb.",
        "Friends tell me to just stop thinking about him, as though that were a switch I could flip, and",
        "every time they say it I feel more alone and more tempted to answer when his name lights up.",
    ]
)
TEXTS = [
    "I keep going back to him even though he hurts me.",
    "why?",
    "ok",
    LONG_TEXT,
    "Ich weiß nicht, warum ich immer zurückgehe — ça me fait peur. 我很累。",
    "miss him so much 😭💔 but he scares me lol",
    "she said sorry again... then it all started over\nand i dont know what to believe anymore",
]
DECIMALS = 6


def reference_model(folder: str):
    from sentence_transformers import SentenceTransformer, models

    transformer = models.Transformer(folder, max_seq_length=256)
    pooling = models.Pooling(384, pooling_mode="mean")  # the model's hidden size
    return SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")


def as_json(reference: dict) -> str:
    """Indented JSON with each example on one line (a vector is 384 numbers)."""
    lines = [json.dumps(example, ensure_ascii=False) for example in reference["examples"]]
    header = {key: value for key, value in reference.items() if key != "examples"}
    head = json.dumps(header, ensure_ascii=False, indent=1)[:-2]
    return head + ',\n "examples": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"


def main(folder: str, output: str) -> None:
    import sentence_transformers
    import torch

    model = reference_model(folder)
    vectors = model.encode(TEXTS, batch_size=len(TEXTS), convert_to_numpy=True)
    word_pieces = [len(model.tokenizer(text)["input_ids"]) for text in TEXTS]
    examples = [
        {"text": text, "word_pieces": count, "vector": [round(float(v), DECIMALS) for v in vector]}
        for text, count, vector in zip(TEXTS, word_pieces, vectors, strict=True)
    ]
    reference = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (build/minilm-l6-v2)",
        "made_with": f"tools/minilm_reference.py, sentence-transformers {sentence_transformers.__version__}, "
        f"torch {torch.__version__}",
        "examples": examples,
    }
    Path(output).write_text(as_json(reference))
    print(f"{len(examples)} reference vectors written to {output}; word pieces before truncation: {word_pieces}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
