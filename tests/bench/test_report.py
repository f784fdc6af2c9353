from bench import report


def results(cold_start, p95_c1, crisis_p95, throughput, errors=0):
    return {
        "cold_start_s": cold_start,
        "latency": {"1": {"p95_ms": p95_c1}},
        "crisis": {"p95_ms": crisis_p95},
        "throughput": {"messages_per_s": throughput, "errors": errors},
        "errors_total": errors,
    }


def row(rows, label):
    return next(r for r in rows if r[0] == label)


def test_rows_show_values_ratio_target_and_whether_it_is_met():
    stock = results(cold_start=40.0, p95_c1=100.0, crisis_p95=90.0, throughput=20.0)
    untangle = results(cold_start=10.0, p95_c1=30.0, crisis_p95=15.0, throughput=160.0)
    rows = report.comparison_rows(stock, untangle)
    assert row(rows, "cold start to first reply (s)") == [
        "cold start to first reply (s)",
        "40",
        "10",
        "0.25×",
        "≤ 12",
        "met",
    ]
    # 30 / 100 = 0.30 > 0.25: missed although Untangle is faster
    assert row(rows, "latency, 1 conversation p95 (ms)")[3:] == ["0.30×", "≤ 0.25× stock", "MISSED"]
    assert row(rows, "crisis first message p95 (ms)")[-1] == "met"
    assert row(rows, "throughput, 20 concurrent (msg/s)")[-2:] == ["≥ 150", "met"]
    assert row(rows, "errors, 20 concurrent")[-1] == "met"


def test_missing_figures_show_a_dash_and_no_verdict():
    rows = report.comparison_rows({}, {"cold_start_s": 5.0})
    assert row(rows, "cold start to first reply (s)")[1:] == ["–", "5.00", "–", "≤ 12", "met"]
    assert row(rows, "training from scratch (s)")[1:] == ["–", "–", "–", "≤ 120", "–"]


def test_lookup_ignores_non_numbers():
    assert report.lookup({"a": {"b": 2}}, ("a", "b")) == 2
    assert report.lookup({"a": {"b": True}}, ("a", "b")) is None
    assert report.lookup({"a": 1}, ("a", "b")) is None


def test_format_value_keeps_small_figures_precise():
    assert report.format_value(0.0123) == "0.01"
    assert report.format_value(8.456) == "8.46"
    assert report.format_value(123.456) == "123.5"
    assert report.format_value(120.0) == "120"
    assert report.format_value(0) == "0"


def test_text_table_aligns_columns():
    table = report.text_table(["name", "value"], [["a", "1"], ["longer", "100"]]).splitlines()
    assert table == ["name    value", "------  -----", "a           1", "longer    100"]


def test_markdown_table():
    assert report.markdown_table(["x", "y"], [["1", "2"]]) == "| x | y |\n|---|---|\n| 1 | 2 |"
