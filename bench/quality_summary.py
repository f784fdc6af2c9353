"""`python -m bench.quality_summary DIR`: the quality comparison bench/quality.sh produced, as a markdown table
(DIR/quality.md) and JSON (DIR/quality.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench.report import markdown_table

RUNS = {"untangle": "Untangle (config.yml)", "diet": "DIET (bench/configs/diet.yml)"}
CONTEXTS = ("first_message", "mid_conversation")


def read_json(path: Path) -> Optional[Dict[str, Any]]:
    return json.loads(path.read_text()) if path.exists() else None


def cross_validation(report: Optional[Dict[str, Any]]) -> Dict[str, Optional[float]]:
    """Intent figures over the pooled test folds of `rasa test nlu --cross-validation` (intent_report.json)."""
    if report is None:
        return {"macro_f1": None, "weighted_f1": None, "accuracy": None}
    return {
        "macro_f1": report["macro avg"]["f1-score"],
        "weighted_f1": report["weighted avg"]["f1-score"],
        "accuracy": report.get("accuracy"),
    }


def safety(result: Optional[Dict[str, Any]]) -> Dict[str, Optional[float]]:
    """Recall and false referral rate in both contexts of tools.safety_eval."""
    figures: Dict[str, Optional[float]] = {}
    for context in CONTEXTS:
        summary = (result or {}).get("summary", {}).get(context, {})
        figures[f"{context}_recall"] = summary.get("recall")
        figures[f"{context}_false_referral"] = summary.get("false_referral_rate")
    return figures


def step_times(times_file: Path) -> Dict[str, float]:
    if not times_file.exists():
        return {}
    rows = (line.split("\t") for line in times_file.read_text().splitlines() if line.strip())
    return {name: float(seconds) for name, seconds, _status in rows}


def summarize(out_dir: Path) -> Dict[str, Any]:
    return {
        run: {
            **cross_validation(read_json(out_dir / f"cv-{run}" / "intent_report.json")),
            **safety(read_json(out_dir / f"safety-{run}.json")),
        }
        for run in RUNS
    } | {"step_seconds": step_times(out_dir / "times.tsv")}


def percent(value: Optional[float]) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def table(summary: Dict[str, Any]) -> str:
    labels = [
        ("intent macro-F1, 5-fold CV", "macro_f1"),
        ("intent weighted F1, 5-fold CV", "weighted_f1"),
        ("intent accuracy, 5-fold CV", "accuracy"),
    ]
    for context in CONTEXTS:
        words = context.replace("_", " ")
        labels += [
            (f"danger recall, {words}", f"{context}_recall"),
            (f"false referrals, {words}", f"{context}_false_referral"),
        ]
    rows: List[List[str]] = [[label, *(percent(summary[run][key]) for run in RUNS)] for label, key in labels]
    return markdown_table(["figure", *RUNS.values()], rows)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.quality_summary DIR", file=sys.stderr)
        return 2
    out_dir = Path(argv[0])
    summary = summarize(out_dir)
    (out_dir / "quality.json").write_text(json.dumps(summary, indent=2) + "\n")
    (out_dir / "quality.md").write_text(table(summary) + "\n")
    print(table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
