"""`python -m bench.patch_timing`: what each Rasa patch (untangle_server/rasa_patches/) saves, measured in-process.

A load test moves with whatever else runs on the machine; this measures only the Rasa server's own code. Each
configuration runs in a fresh interpreter, as the launcher starts one (TensorFlow stand-in, skops, in-process
actions, the project's endpoints.yml and models/untangle.tar.gz): every patch, no patch, and every patch but one,
for each patch. Each plays the bench's scripted conversations (bench/conversations.py: the guided path, asides,
the crisis first messages) through a Rasa `Agent`, after one warm-up round, and records per message the CPU time of
the process (less sensitive to other jobs than wall time) and the wall time, then the model's load time and RSS.
Configurations are run in turn, `--repeats` times, so a slow spell of the machine hits all of them alike.

    python -m bench.patch_timing --rounds 12 --repeats 3 --out results/bench/patches.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "untangle.tar.gz"
ENDPOINTS = ROOT / "endpoints.yml"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def play(agent, conversations: Sequence[Sequence[str]], times: Dict[str, List[float]]) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    for texts in conversations:
        sender = uuid.uuid4().hex
        for text in texts:
            cpu, wall = time.process_time(), time.perf_counter()
            await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
            times["cpu_ms"].append((time.process_time() - cpu) * 1000)
            times["wall_ms"].append((time.perf_counter() - wall) * 1000)


def measure(patches: Sequence[str], rounds: int, endpoints: Path = ENDPOINTS) -> dict:
    """One configuration, in this process: the given patches installed, then the conversations played."""
    import asyncio

    started = time.perf_counter()
    from untangle_server import without_tensorflow

    without_tensorflow.install()
    import importlib

    import skops.io  # noqa: F401  (before Rasa, as the launcher does)
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bench.conversations import UNTANGLE_CONVERSATIONS, UNTANGLE_CRISIS_MESSAGES
    from untangle_server import action_executor

    # Logging as `rasa run` sets it up (INFO): some of Rasa's costs depend on whether debug lines are written.
    configure_logging_and_warnings(None, None, warn_only_once=True, filter_repeated_logs=True)
    configure_structlog(None)
    for name in patches:
        importlib.import_module(f"untangle_server.rasa_patches.{name}").install()
    action_executor.install()
    conversations = [*UNTANGLE_CONVERSATIONS, *([text] for text in UNTANGLE_CRISIS_MESSAGES)]

    async def run() -> dict:
        agent = await load_agent(model_path=str(MODEL), endpoints=AvailableEndpoints.read_endpoints(str(endpoints)))
        loaded = time.perf_counter() - started
        await play(agent, conversations, {"cpu_ms": [], "wall_ms": []})  # warm-up
        times: Dict[str, List[float]] = {"cpu_ms": [], "wall_ms": []}
        for _ in range(rounds):
            await play(agent, conversations, times)
        return {"patches": list(patches), "load_s": loaded, "rss_mb": rss_mb(), **times}

    return asyncio.run(run())


def configurations(all_patches: Sequence[str]) -> Dict[str, List[str]]:
    named = {"all": list(all_patches), "none": []}
    named.update({f"all but {name}": [other for other in all_patches if other != name] for name in all_patches})
    return named


def run_configuration(patches: Sequence[str], rounds: int, endpoints: Path) -> dict:
    # One BLAS thread: the sentence encoder's matrix products are the same in every configuration, and threads
    # spinning while another job holds the other core add CPU time that has nothing to do with the patches.
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore",
            "-m",
            "bench.patch_timing",
            "--one",
            ",".join(patches),
            "--rounds",
            str(rounds),
            "--endpoints",
            str(endpoints),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if "Warning" not in line and not line.startswith("  ")]
        raise RuntimeError(f"exit {result.returncode}: " + "\n".join(errors[-20:]))
    return json.loads(result.stdout.strip().splitlines()[-1])


def summary(runs: List[dict]) -> dict:
    cpu = [value for run in runs for value in run["cpu_ms"]]
    wall = [value for run in runs for value in run["wall_ms"]]
    return {
        "messages": len(cpu),
        "cpu_ms_mean": statistics.fmean(cpu),
        "cpu_ms_median": statistics.median(cpu),
        "wall_ms_mean": statistics.fmean(wall),
        "wall_ms_p95": sorted(wall)[int(0.95 * (len(wall) - 1))],
        "cpu_ms_mean_per_repeat": [statistics.fmean(run["cpu_ms"]) for run in runs],
        "load_s": statistics.median(run["load_s"] for run in runs),
        "rss_mb": statistics.median(run["rss_mb"] for run in runs),
    }


def table(summaries: Dict[str, dict]) -> str:
    base = summaries["all"]["cpu_ms_mean"]
    lines = [
        "| configuration | CPU ms/message (mean) | per repeat | vs all patches | wall p95 ms | load s | RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, figures in summaries.items():
        change = (figures["cpu_ms_mean"] - base) / base * 100
        repeats = ", ".join(f"{value:.2f}" for value in figures["cpu_ms_mean_per_repeat"])
        lines.append(
            f"| {name} | {figures['cpu_ms_mean']:.2f} | {repeats} | {change:+.1f} % | "
            f"{figures['wall_ms_p95']:.2f} | {figures['load_s']:.1f} | {figures['rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12, help="rounds of all scripted conversations per run")
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per configuration")
    parser.add_argument("--only", default="", help="comma-separated configuration names (default: all)")
    parser.add_argument(
        "--endpoints",
        type=Path,
        default=ENDPOINTS,
        help="endpoints file (e.g. one without `tracker_store`: Rasa's own in-memory store, which "
        "reads every conversation back from JSON on every message, as the Redis store does)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench" / "patches.json")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)  # a single configuration, in this process
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure([name for name in args.one.split(",") if name], args.rounds, args.endpoints)))
        return 0
    from untangle_server.rasa_patches import PATCHES

    named = configurations(PATCHES)
    if args.only:
        named = {name: named[name] for name in ["all", *args.only.split(",")] if name in named}
    runs: Dict[str, List[dict]] = {name: [] for name in named}
    for repeat in range(args.repeats):
        for name, patches in named.items():
            try:
                runs[name].append(run_configuration(patches, args.rounds, args.endpoints))
            except RuntimeError as failure:  # reported, and tried once more: one lost run is no reason to stop
                print(f"repeat {repeat + 1}: {name} failed, trying again: {failure}", file=sys.stderr, flush=True)
                runs[name].append(run_configuration(patches, args.rounds, args.endpoints))
            print(
                f"repeat {repeat + 1}/{args.repeats}: {name}: "
                f"{statistics.fmean(runs[name][-1]['cpu_ms']):.2f} ms CPU/message",
                file=sys.stderr,
                flush=True,
            )
    summaries = {name: summary(name_runs) for name, name_runs in runs.items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "load": os.getloadavg(),
                "endpoints": str(args.endpoints),
                "rounds": args.rounds,
                "summaries": summaries,
            },
            indent=1,
        )
    )
    print(table(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
