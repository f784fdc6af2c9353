"""`python -m bench`: build and train the stock bot and Untangle, serve each alone, measure, compare.

Prints one table per Untangle run (the project's config.yml, then each --variant) against the stock bot, and
writes the figures as JSON and the tables as markdown (for docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench import bots, machine, measure, report


def errors_total(figures: Dict[str, Any]) -> int:
    loads = [figures["warmup"], figures["crisis"], figures["throughput"], *figures["latency"].values()]
    return sum(load["errors"] for load in loads)


def bot_results(bot: bots.Bot, plan: measure.Plan, log_dir: Path) -> Dict[str, Any]:
    print(f"serving and measuring {bot.name} ...", flush=True)
    figures = measure.measure_bot(bot, plan, log_dir)
    return {
        "training_s": bot.training_s,
        "training_steps_s": bot.training_steps_s,
        "model": str(bot.model) if bot.model else None,
        **figures,
        "errors_total": errors_total(figures),
    }


def variant_name(config: Path) -> str:
    return f"untangle[{config.stem}]"


def train_all(args: argparse.Namespace, work_dir: Path, log_dir: Path) -> List[bots.Bot]:
    """The stock bot, Untangle, and each variant, built and trained from scratch (one at a time)."""
    print("building and training the stock bot ...", flush=True)
    if args.stock_dir:
        stock = bots.Bot("stock", "stock", args.stock_dir.resolve())
    else:
        stock = bots.build_stock(work_dir, log_dir)
    print("training Untangle from scratch ...", flush=True)
    untangle = bots.train_untangle(work_dir, log_dir, "untangle")
    untangle.model = None  # serve the project's model (models/untangle.tar.gz), trained from the same inputs
    trained = [stock, untangle]
    if args.workers > 1:
        # The same model, served by several Sanic workers that share conversations and locks in Redis.
        trained.append(
            bots.Bot(
                f"untangle[{args.workers} workers]",
                "untangle",
                bots.ROOT,
                training_s=untangle.training_s,
                training_steps_s=dict(untangle.training_steps_s),
                workers=args.workers,
            )
        )
    for config in args.variant:
        print(f"training {variant_name(config)} ...", flush=True)
        trained.append(bots.train_untangle(work_dir, log_dir, variant_name(config), config.resolve()))
    return trained


def tables(results: Dict[str, Dict[str, Any]], markdown: bool) -> str:
    render = report.markdown_table if markdown else report.text_table
    stock = results["stock"]
    return "\n\n".join(
        render(report.header_for(name), report.comparison_rows(stock, figures))
        for name, figures in results.items()
        if name != "stock"
    )


def caption(document: Dict[str, Any]) -> str:
    """One line saying which run the tables are from and how busy the machine was."""
    machine_info = document["machine"]
    before = ", ".join(f"{load:.1f}" for load in machine_info["load_average"])
    after = ", ".join(f"{load:.1f}" for load in document["load_average_after"])
    return (
        f"Run: {document['mode']}, started {document['started']}, {machine_info['cpus']} × "
        f"{machine_info['cpu_model']}, Rasa {machine_info['rasa']}; load average (1, 5, 15 min) "
        f"{before} at the start, {after} at the end."
    )


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few messages per measurement: checks that everything runs; timings mean little",
    )
    parser.add_argument(
        "--variant",
        type=Path,
        action="append",
        default=[],
        help="a YAML file whose top-level keys replace config.yml's (e.g. bench/configs/ted.yml): "
        "another Untangle run to train and measure; may be repeated",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="also measure the project's model served by N Sanic workers sharing conversations and "
        "locks in Redis (deploy/endpoints.yml; needs redis-server)",
    )
    parser.add_argument("--stock-dir", type=Path, help="reuse a trained `rasa init` project (no training time)")
    parser.add_argument("--out", type=Path, default=Path("results/bench/bench.json"))
    parser.add_argument("--keep", action="store_true", help="keep the work folder (projects, models, caches)")
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="run nothing: print the markdown tables of an earlier run's JSON (for the docs)",
    )
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if args.workers > 1 and not shutil.which("redis-server"):
        print("error: --workers needs redis-server (Debian: apt-get install redis-server)", file=sys.stderr)
        return 2
    if args.render:
        document = json.loads(args.render.read_text())
        print(caption(document) + "\n\n" + tables(document["bots"], markdown=True))
        return 0
    log_dir = args.out.parent / ("logs-smoke" if args.smoke else "logs")
    log_dir.mkdir(parents=True, exist_ok=True)
    plan = measure.SMOKE_PLAN if args.smoke else measure.FULL_PLAN
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    machine_before = machine.describe()
    work_dir = Path(tempfile.mkdtemp(prefix="untangle-bench-"))
    try:
        results = {bot.name: bot_results(bot, plan, log_dir) for bot in train_all(args, work_dir, log_dir)}
    finally:
        if args.keep:
            print(f"work folder kept: {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    document = {
        "started": started,
        "mode": "smoke" if args.smoke else "full",
        "plan": plan.__dict__,
        "machine": machine_before,
        "load_average_after": machine.describe()["load_average"],
        "bots": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, default=str) + "\n")
    args.out.with_suffix(".md").write_text(caption(document) + "\n\n" + tables(results, markdown=True) + "\n")
    print(caption(document) + "\n\n" + tables(results, markdown=False))
    print(f"\nfigures: {args.out}, markdown tables: {args.out.with_suffix('.md')}, logs: {log_dir}")
    errors = sum(figures["errors_total"] for figures in results.values())
    if errors:
        print(f"error: {errors} message(s) failed (non-200, timeout or empty/wrong reply)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
