"""`python -m bench.policy_walks MODEL_A MODEL_B`: do two models choose the same next actions on random conversations?

A check for a change of dialogue policies (docs/benchmarks.md: MemoizationPolicy in place of
AugmentedMemoizationPolicy). Each conversation is a random run of the domain's intents; after each message both
models predict actions until they listen again, and the first action they disagree on ends the conversation and is
counted. Actions are not run: no Untangle slot influences the conversation, so the actions' events do not change
what the policies see; Rasa's fallback action, which would take the message back, ends the message's turn.
Prints the counts and, for model A, which policy made each prediction.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

# What a model predicts for a tracker: (action name, policy name).
Predictor = Callable[[object], Tuple[str, str]]
LISTEN = "action_listen"
# The bot waits for the next message after these (the fallback takes the message back, then Rasa listens).
END_OF_TURN = {LISTEN, "action_default_fallback"}
MAX_ACTIONS_PER_MESSAGE = 8  # a model that never listens again is reported, not followed forever
SKIPPED_INTENTS = {"restart", "session_start", "back", "out_of_scope"}


@dataclass
class WalkResult:
    predictions: int = 0
    differences: Counter = field(default_factory=Counter)  # (intent, action of A, action of B) -> count
    policies_of_a: Counter = field(default_factory=Counter)


def walk(
    intents: Sequence[str],
    new_tracker: Callable[[], object],
    add_message: Callable[[object, str], None],
    add_action: Callable[[object, str], None],
    model_a: Predictor,
    model_b: Predictor,
    conversations: int,
    seed: int = 7,
) -> WalkResult:
    """Play `conversations` random conversations of 1-8 messages through both models."""
    rng, result = random.Random(seed), WalkResult()
    for _ in range(conversations):
        tracker = new_tracker()
        for _ in range(rng.randint(1, 8)):
            intent = rng.choice(intents)
            add_message(tracker, intent)
            if not _same_actions_until_listening(tracker, intent, add_action, model_a, model_b, result):
                break
    return result


def _same_actions_until_listening(
    tracker: object,
    intent: str,
    add_action: Callable[[object, str], None],
    model_a: Predictor,
    model_b: Predictor,
    result: WalkResult,
) -> bool:
    for _ in range(MAX_ACTIONS_PER_MESSAGE):
        (action_a, policy_a), (action_b, _) = model_a(tracker), model_b(tracker)
        result.predictions += 1
        result.policies_of_a[policy_a.split("_", 2)[-1]] += 1  # "policy_1_MemoizationPolicy" -> the class
        if action_a != action_b:
            result.differences[(intent, action_a, action_b)] += 1
            return False
        if action_a in END_OF_TURN:
            return True
        add_action(tracker, action_a)
    result.differences[(intent, "(never listens)", "")] += 1
    return False


def load_predictor(model: Path) -> Tuple[Predictor, object]:
    """A trained model's next-action prediction, and its domain."""
    from rasa.engine import loader
    from rasa.engine.constants import PLACEHOLDER_TRACKER
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    from untangle_server.rasa_patches.graph_runner import SequentialGraphRunner

    metadata, runner = loader.load_predict_graph_runner(
        Path(tempfile.mkdtemp(prefix="untangle-walks-")), model, LocalModelStorage, SequentialGraphRunner
    )

    def predict(tracker: object) -> Tuple[str, str]:
        prediction = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[metadata.core_target])
        prediction = prediction[metadata.core_target]
        return metadata.domain.action_names_or_texts[prediction.max_confidence_index], prediction.policy_name

    return predict, metadata.domain


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.policy_walks", description=__doc__.split("\n\n")[0])
    parser.add_argument("model_a", type=Path)
    parser.add_argument("model_b", type=Path)
    parser.add_argument("--conversations", type=int, default=1500)
    args = parser.parse_args(argv)
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    model_a, domain = load_predictor(args.model_a)
    model_b, _ = load_predictor(args.model_b)
    result = walk(
        [intent for intent in domain.intents if intent not in SKIPPED_INTENTS],
        lambda: DialogueStateTracker.from_events("walk", [ActionExecuted(LISTEN)], domain.slots),
        lambda tracker, intent: tracker.update(UserUttered(f"/{intent}", {"name": intent, "confidence": 1.0})),
        lambda tracker, action: tracker.update(ActionExecuted(action)),
        model_a,
        model_b,
        args.conversations,
    )
    print(
        f"{args.conversations} conversations, {result.predictions} predictions, "
        f"{sum(result.differences.values())} different; model A's predictions by policy: "
        f"{dict(result.policies_of_a)}"
    )
    for (intent, action_a, action_b), count in result.differences.most_common(20):
        print(f"  {count} × after {intent}: A {action_a}, B {action_b}")
    return 1 if result.differences else 0


if __name__ == "__main__":
    sys.exit(main())
