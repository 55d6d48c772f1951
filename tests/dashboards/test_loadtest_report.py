"""The load-test driver's reading of wrk and gunicorn output and its table (no timing)."""

import pytest

from apps.dashboards.loadtest import report

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8765
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    80.12ms   20.01ms 400.00ms   70.00%
LOADTEST {"requests": 3000, "duration_us": 10000000, "connect": 0, "read": 1, "write": 0, \
"status": 2, "timeout": 3, "p50_us": 70000, "p95_us": 180500, "p99_us": 300000, "max_us": 400000}
"""


def test_parse_wrk_reads_the_summary_line():
    result = report.parse_wrk(WRK_OUTPUT)

    assert result.requests == 3000
    assert result.rps == 300
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (70, 180.5, 300)
    assert result.socket_errors == 4 and result.status_errors == 2


def test_parse_wrk_without_a_summary_says_so():
    with pytest.raises(ValueError, match="no LOADTEST summary"):
        report.parse_wrk("unable to connect to 127.0.0.1:8765 Connection refused")


def test_access_log_is_grouped_by_page_and_non_200_counts_as_an_error():
    lines = [
        "200 4000 GET /en/vacancies/?q=English HTTP/1.1",
        "200 6000 GET /en/vacancies/?q=English HTTP/1.1",
        "302 1000 GET /en/dashboard/teacher/ HTTP/1.1",
        "200 9000 GET /en/dashboard/teacher/ HTTP/1.1",
        "[2026-12-03 21:00:00 +0000] [1] [INFO] Booting worker",
        "200 500 GET /static/css/site.css HTTP/1.1",
    ]
    labels = {"/en/vacancies/?q=English": "search", "/en/dashboard/teacher/": "teacher"}

    stats = report.parse_access_log(lines, labels)

    assert set(stats) == {"search", "teacher", "other"}
    assert stats["search"].failures == 0 and stats["search"].percentile_ms(50) == 4
    assert stats["teacher"].failures == 1 and stats["teacher"].percentile_ms(95) == 9


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))

    assert report.percentile(values, 50) == 50
    assert report.percentile(values, 95) == 95
    assert report.percentile([7], 99) == 7


def test_rows_are_judged_against_the_targets_and_printed_as_a_table():
    fast = report.parse_wrk(
        WRK_OUTPUT.replace('"read": 1', '"read": 0').replace(
            '"status": 2, "timeout": 3', '"status": 0, "timeout": 0'
        )
    )
    slow = report.parse_wrk(WRK_OUTPUT.replace('"requests": 3000', '"requests": 1000'))
    server = report.ServerStats(micros=[3000, 5000, 8000])

    page_ok = report.page_row("search", fast, server)
    page_slow = report.page_row("center", slow, None)
    mix = report.mix_rows(fast, {"search": server}, p95_limit_ms=report.MIX_TARGET["p95_ms"])
    table = report.format_table([page_ok, page_slow, *mix])

    assert page_ok.verdict == "ok" and page_slow.verdict == "MISS"
    # The mix misses: p95 180.5 ms is over its 150 ms.
    assert mix[-1].label == "mix (overall)" and mix[-1].verdict == "MISS"
    lines = table.splitlines()
    assert lines[0].startswith("| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors")
    assert lines[1] == "|---|---|---|---|---|---|---|---|---|---|"
    assert "| search | 3000 | 300 | 70.0 | 180.5 | 300.0 | 0 | 5.0 | 8.0 | ok |" in lines
    assert "|   search | 3 | 0 | — | — | — | 0 | 5.0 | 8.0 |  |" in lines


def test_during_matching_the_mix_is_judged_by_its_p95_alone():
    # 100 requests/s, p95 180.5 ms: below the mix's 250 requests/s, within matching's 300 ms.
    slow = report.parse_wrk(
        WRK_OUTPUT.replace('"requests": 3000', '"requests": 1000')
        .replace('"read": 1', '"read": 0')
        .replace('"status": 2, "timeout": 3', '"status": 0, "timeout": 0')
    )
    limit = report.MATCHING_MIX_P95_MS

    during = report.mix_rows(slow, {}, p95_limit_ms=limit, min_rps=None)[-1]
    alone = report.mix_rows(slow, {}, p95_limit_ms=limit)[-1]
    too_slow = report.mix_rows(slow, {}, p95_limit_ms=150.0, min_rps=None)[-1]

    assert during.verdict == "ok"
    assert alone.verdict == "MISS" and too_slow.verdict == "MISS"


def test_plan_text_is_what_the_wrk_script_reads():
    entries = [
        report.PlanEntry(600, "vacancy search", "/en/vacancies/?q=English"),
        report.PlanEntry(50, "center dashboard", "/zh-hans/dashboard/center/", "sessionid=abc"),
    ]

    assert report.plan_text(entries) == (
        "600\tvacancy search\t/en/vacancies/?q=English\t\n"
        "50\tcenter dashboard\t/zh-hans/dashboard/center/\tsessionid=abc\n"
    )


def test_a_page_that_never_answered_shows_no_latency():
    silent = report.parse_wrk(
        'LOADTEST {"requests": 0, "duration_us": 5000000, "connect": 0, "read": 0, "write": 0, '
        '"status": 0, "timeout": 40, "p50_us": 0, "p95_us": 0, "p99_us": 0, "max_us": 0}'
    )

    row = report.page_row("center dashboard", silent, None)

    assert (row.p50_ms, row.p95_ms, row.errors, row.verdict) == (None, None, 40, "MISS")


def test_pages_picks_every_variant_of_the_named_pages_and_refuses_unknown_labels():
    from django.core.management.base import CommandError

    from apps.dashboards.management.commands.loadtest import _labelled

    entries = [
        report.PlanEntry(5, "school applicants", "/zh-hans/applications/school/vacancy/a/"),
        report.PlanEntry(5, "school applicants", "/zh-hans/applications/school/vacancy/b/"),
        report.PlanEntry(0, "hire checklist", "/zh-hans/guidance/hire/c/"),
        report.PlanEntry(9, "home", "/en/"),
    ]

    picked = _labelled(entries, "school applicants, hire checklist")

    assert [entry.path[-2] for entry in picked] == ["a", "b", "c"]
    with pytest.raises(CommandError, match="No page labelled school aplicants"):
        _labelled(entries, "school aplicants")
