"""Pure figures: percentiles of latencies, ratios, and one summary per measurement."""

from __future__ import annotations

import math
from typing import Dict, Iterable, Optional, Sequence


def percentile(values: Sequence[float], pct: float) -> Optional[float]:
    """The pct-th percentile (0-100) by linear interpolation between closest ranks; None for no values."""
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be within 0..100, not {pct}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def latency_summary(latencies_s: Iterable[float]) -> Dict[str, Optional[float]]:
    """p50, p95, p99, mean and max in milliseconds, with the sample count."""
    values_ms = [value * 1000 for value in latencies_s]
    return {
        "count": len(values_ms),
        "p50_ms": percentile(values_ms, 50),
        "p95_ms": percentile(values_ms, 95),
        "p99_ms": percentile(values_ms, 99),
        "mean_ms": sum(values_ms) / len(values_ms) if values_ms else None,
        "max_ms": max(values_ms) if values_ms else None,
    }
