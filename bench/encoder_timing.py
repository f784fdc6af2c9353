"""`python -m bench.encoder_timing --runtime numpy|onnx_int8`: what the sentence encoder costs per message.

Runs exactly what the NLU pipeline runs for the encoder, in-process: LongMessageSentences (a long post's last
sentences become messages of their own) and then SentenceEmbeddingFeaturizer on the message and its parts, as Rasa
hands them over in one list. Two kinds of message, each in its own words: typed chat messages of 5-20 word pieces,
and a long post (about 2,000 characters, 21 sentences). Prints the median and 90th percentile per message, of wall
time and of the process's CPU time (less moved by other jobs on the machine), with the load average before and
after. One BLAS / onnxruntime thread, as the server runs (scripts/run.sh, Containerfile).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m bench.encoder_timing --runtime onnx_int8 --rounds 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported, as the server's launcher does
os.environ.setdefault("OMP_NUM_THREADS", "1")

TYPED = [
    "hi there",
    "what is gaslighting?",
    "why do I still miss him",
    "he says sorry every time and then it happens again",
    "is it normal to feel numb after leaving someone",
    "my friend thinks her boyfriend reads all her messages",
    "I keep checking his profile even though we broke up months ago",
    "how can I help my brother see what his partner is doing to him",
    "tell me more about the stages",
    "she goes quiet for days when I see my family and I end up apologising",
]
LONG_POST = " ".join(
    [
        "We met three years ago at a friend's birthday and for the first months everything felt easy.",
        "He texted me every morning, planned weekends away, and told me I was the only one who understood him.",
        "Then small things changed.",
        "He started checking who I talked to and sulked for days if I saw my sister.",
        "When I tried to talk about it he said I was too sensitive and that nobody else would put up with me.",
        "Last winter he shouted at me in the car until I cried, and the next day he brought flowers and said sorry.",
        "I wanted to believe him so much.",
        "My friends say I seem smaller and quieter than before, and I am always waiting for the next storm.",
        "I moved out in the spring, but I keep reading our old messages at night and missing the good days.",
        "Sometimes I answer when he calls even though I promised myself I would not.",
        "He tells me he is in therapy now and that things would be different this time.",
        "Part of me knows that I have heard this before, and part of me wonders if I gave up too soon.",
        "I don't sleep well, I can't focus at work, and I feel stupid for still caring about someone who hurt me.",
        "My mum thinks I should block him everywhere, but she doesn't understand how lonely the evenings are.",
        "I am not in danger right now, I just feel stuck between two versions of him.",
        "Every time I decide to stay away, I end up making excuses for him and blaming myself for what happened.",
        "I used to love painting and running with my neighbour on Sundays, and I have not done either in a year.",
        "When he is kind it feels like the sun comes out, and when he goes cold I will do anything to get it back.",
        "I have started writing down what actually happened so I cannot talk myself out of it later.",
        "Some days I think about texting him just to hear that he misses me too, even if it is not true.",
        "Is it normal to miss someone like this, and how do I stop going back?",
    ]
)


def pipeline(runtime: str, model: str):
    """A function that featurizes one message as the NLU pipeline does (encoder parts only)."""
    sys.path.insert(0, str(ROOT))
    from rasa.shared.nlu.training_data.message import Message

    from untangle_nlu.long_message_sentences import LongMessageSentences
    from untangle_nlu.sentence_embeddings import SentenceEmbeddingFeaturizer

    featurizer = SentenceEmbeddingFeaturizer({"model": model, "runtime": runtime}, "encoder")
    splitter = LongMessageSentences({})

    def featurize(text: str) -> None:
        featurizer.process(splitter.process([Message(data={"text": text})]))

    return featurizer, featurize


def timed(featurize, texts: List[str], rounds: int) -> Dict[str, float]:
    wall: List[float] = []
    cpu: List[float] = []
    for _ in range(rounds):
        for text in texts:
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            featurize(text)
            cpu.append((time.process_time() - cpu_start) * 1e3)
            wall.append((time.perf_counter() - wall_start) * 1e3)
    return {
        "median_ms": statistics.median(wall),
        "p90_ms": _p90(wall),
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p90_ms": _p90(cpu),
        "messages": len(wall),
    }


def _p90(values: List[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(0.9 * len(values)))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runtime", default="numpy", choices=["numpy", "onnx_int8"])
    parser.add_argument("--model", default="build/minilm-l6-v2", help="the encoder folder (`make encoder`)")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the typed messages")
    parser.add_argument("--long-rounds", type=int, default=5, help="passes over the long post")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    load_before = os.getloadavg()
    featurizer, featurize = pipeline(args.runtime, args.model)
    featurize("warm up")  # the first call allocates onnxruntime's buffers
    figures = {
        # numpy when the ONNX graph or onnxruntime is missing (and before there was any other runtime)
        "runtime": getattr(featurizer.encoder, "runtime", "numpy"),
        "process_rss_mb": round(rss_mb(), 1),  # Rasa's imports included, after the warm-up
        "typed": timed(featurize, TYPED, args.rounds),
        "long_post": {"chars": len(LONG_POST), **timed(featurize, [LONG_POST], args.long_rounds)},
        "process_rss_mb_after": round(rss_mb(), 1),
        "load_average": {"before": load_before, "after": os.getloadavg()},
    }
    print(json.dumps(figures, indent=1, default=lambda value: round(value, 2)))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
