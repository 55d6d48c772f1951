"""Scaled-down smoke of the benchmark: correctness, not time."""

import io
import json

from django.core.management import call_command

from apps.matching.engine.bench import run_benchmark


def test_benchmark_smoke_reaches_the_optimum():
    lines = []
    summary = run_benchmark(teachers=1200, vacancies=1000, seed=3, exact=True, out=lines.append)
    assert [line.split(":")[0].split(" (")[0] for line in lines[:4]] == [
        "encode",
        "score + shortlists",
        "assignment",
        "stable round",
    ]
    assert json.loads(lines[-1]) == summary
    assert set(summary) == {
        "teachers",
        "posts",
        "seconds_total",
        "peak_rss_mb",
        "matched",
        "total_score",
        "optimum_ratio",
    }
    assert summary["matched"] > 0
    assert 0.99 <= summary["optimum_ratio"] <= 1


def test_benchmark_without_exact_has_no_ratio():
    summary = run_benchmark(teachers=300, vacancies=300, exact=False, out=lambda line: None)
    assert summary["optimum_ratio"] is None


def test_bench_matching_command():
    out = io.StringIO()
    call_command("bench_matching", teachers=200, vacancies=150, seed=1, exact=True, stdout=out)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["teachers"] == 200 and summary["posts"] == 150
    assert summary["optimum_ratio"] >= 0.99
