"""The comparison table: each figure for the stock bot and an Untangle run, their ratio, the target and whether
it is met. Targets are reported, never enforced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from bench.stats import ratio

Check = Callable[[Optional[float], Optional[float]], Optional[bool]]  # (untangle, stock) -> met?


@dataclass(frozen=True)
class Target:
    text: str
    check: Check


def at_most(limit: float) -> Target:
    return Target(f"≤ {limit:g}", lambda value, _stock: None if value is None else value <= limit)


def at_least(limit: float) -> Target:
    return Target(f"≥ {limit:g}", lambda value, _stock: None if value is None else value >= limit)


def at_most_times_stock(factor: float) -> Target:
    def check(value: Optional[float], stock: Optional[float]) -> Optional[bool]:
        measured = ratio(value, stock)
        return None if measured is None else measured <= factor

    return Target(f"≤ {factor:g}× stock", check)


@dataclass(frozen=True)
class Figure:
    label: str
    path: Tuple[str, ...]  # keys into one bot's results
    target: Optional[Target] = None


def latency_figures(title: str, key: Tuple[str, ...], p95_target: Optional[Target]) -> List[Figure]:
    return [
        Figure(f"{title} p{pct} (ms)", (*key, f"p{pct}_ms"), p95_target if pct == 95 else None) for pct in (50, 95, 99)
    ]


FIGURES: Tuple[Figure, ...] = (
    Figure("cold start to first reply (s)", ("cold_start_s",), at_most(12)),
    Figure("action server up (s)", ("action_server_up_s",)),
    Figure("RSS Rasa server after warm-up (MB)", ("memory_after_warmup", "rasa_server_mb"), at_most(500)),
    Figure("RSS action server after warm-up (MB)", ("memory_after_warmup", "action_server_mb")),
    Figure("RSS total after warm-up (MB)", ("memory_after_warmup", "total_mb")),
    Figure("RSS total after all load (MB)", ("memory_after_load", "total_mb")),
    Figure("training from scratch (s)", ("training_s",), at_most(120)),
    *latency_figures("latency, 1 conversation", ("latency", "1"), at_most_times_stock(0.25)),
    *latency_figures("latency, 10 concurrent", ("latency", "10"), at_most_times_stock(0.25)),
    *latency_figures("latency, 50 concurrent", ("latency", "50"), None),
    *latency_figures("crisis first message", ("crisis",), at_most(20)),
    Figure("throughput, 20 concurrent (msg/s)", ("throughput", "messages_per_s"), at_least(150)),
    Figure("errors, 20 concurrent", ("throughput", "errors"), at_most(0)),
    Figure("errors, all measurements", ("errors_total",)),
)


def lookup(results: Dict[str, Any], path: Sequence[str]) -> Optional[float]:
    value: Any = results
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def format_value(value: Optional[float]) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 10:
        return f"{int(value)}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def format_ratio(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}×"


def format_met(met: Optional[bool]) -> str:
    return "–" if met is None else ("met" if met else "MISSED")


def comparison_rows(stock: Dict[str, Any], untangle: Dict[str, Any]) -> List[List[str]]:
    """One row per figure: label, stock, untangle, untangle / stock, target, met."""
    rows = []
    for figure in FIGURES:
        stock_value, untangle_value = lookup(stock, figure.path), lookup(untangle, figure.path)
        met = figure.target.check(untangle_value, stock_value) if figure.target else None
        rows.append(
            [
                figure.label,
                format_value(stock_value),
                format_value(untangle_value),
                format_ratio(ratio(untangle_value, stock_value)),
                figure.target.text if figure.target else "",
                format_met(met),
            ]
        )
    return rows


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the first left-aligned, the others right-aligned."""
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def header_for(untangle_name: str) -> List[str]:
    return ["figure", "stock", untangle_name, f"{untangle_name} / stock", "target", "met"]
