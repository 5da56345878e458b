"""The load test's memory verdict: growth over the second half of the run, after warm-up."""

from __future__ import annotations

from eval.load_test import second_half_growth


def test_warm_up_growth_is_excluded_and_late_growth_is_not() -> None:
    warm_then_flat = [[16, 12, 1129.0], [64, 53, 1174.0], [128, 116, 1202.3], [240, 223, 1206.2]]
    assert second_half_growth(warm_then_flat, 1206.4) == 4.1
    leaking = [[16, 12, 1000.0], [128, 116, 1100.0], [240, 223, 1200.0]]
    assert second_half_growth(leaking, 1250.0) == 150.0


def test_no_samples_means_no_verdict() -> None:
    assert second_half_growth([], 1000.0) is None
    assert second_half_growth([[16, 1, 900.0]], None) is None
