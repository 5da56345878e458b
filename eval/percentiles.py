"""Latency distributions for the benchmark: p50/p95 (nearest rank, as `qa eval` reports them) and friends.

Pure functions over lists of numbers. It does not time anything itself and does no smoothing,
interpolation or outlier removal: a slow run on a shared machine shows up as it happened.
"""

from __future__ import annotations

from collections.abc import Sequence

from eval.metrics import percentile


def summarize(values: Sequence[float]) -> dict[str, float | int | None]:
    """n, p50, p95, mean, min and max of `values` (None for an empty list), rounded to 0.01."""
    if not values:
        return {"n": 0, "p50": None, "p95": None, "mean": None, "min": None, "max": None}
    return {
        "n": len(values),
        "p50": _round(percentile(values, 50)),
        "p95": _round(percentile(values, 95)),
        "mean": _round(sum(values) / len(values)),
        "min": _round(min(values)),
        "max": _round(max(values)),
    }


def median(values: Sequence[float]) -> float | None:
    """The nearest-rank median (an actual observation, never an average of two)."""
    return percentile(values, 50)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator rounded to 0.001, or None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)
