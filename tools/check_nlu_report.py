"""Check the intent macro-F1 in a `rasa test nlu` report against a floor, and print the weakest intents.

Usage: python -m tools.check_nlu_report results/nlu/intent_report.json --min-macro-f1 0.90
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SUMMARY_ROWS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def weakest_intents(report: dict, count: int = 5) -> list:
    rows = [(name, row["f1-score"]) for name, row in report.items() if name not in SUMMARY_ROWS]
    return sorted(rows, key=lambda row: row[1])[:count]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--min-macro-f1", type=float, required=True)
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text(encoding="utf-8"))
    macro_f1 = report["macro avg"]["f1-score"]
    print(f"intent macro-F1 on the NLU test set: {macro_f1:.3f} (floor {args.min_macro_f1:.2f})")
    for name, f1 in weakest_intents(report):
        print(f"  weakest: {name:32s} F1 {f1:.2f}")
    return 0 if macro_f1 >= args.min_macro_f1 else 1


if __name__ == "__main__":
    sys.exit(main())
