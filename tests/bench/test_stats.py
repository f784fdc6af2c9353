import pytest

from bench.stats import latency_summary, percentile, ratio


def test_percentile_interpolates_between_closest_ranks():
    values = [10, 20, 30, 40, 50]
    assert percentile(values, 50) == 30
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 50
    assert percentile(values, 95) == pytest.approx(48)
    assert percentile([40, 10, 30, 20], 50) == pytest.approx(25)  # unsorted input


def test_percentile_of_one_value_and_of_none():
    assert percentile([7.5], 99) == 7.5
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_ratio_is_none_when_it_cannot_be_computed():
    assert ratio(5, 20) == 0.25
    assert ratio(None, 2) is None
    assert ratio(2, None) is None
    assert ratio(2, 0) is None


def test_latency_summary_is_in_milliseconds():
    summary = latency_summary([0.010] * 99 + [0.500])
    assert summary["count"] == 100
    assert summary["p50_ms"] == pytest.approx(10)
    assert summary["p99_ms"] == pytest.approx(10 + 490 * 0.01)
    assert summary["max_ms"] == pytest.approx(500)
    assert latency_summary([])["p95_ms"] is None
