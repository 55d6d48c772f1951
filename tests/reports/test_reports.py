"""The annual report: request, build on the worker, files, access, schedule, commands."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.reports import services
from apps.reports import statistics as stats
from apps.reports.builders.content import Report, Section, Table, build_report
from apps.reports.builders.xlsx import build_xlsx
from apps.reports.models import BuildStatus, ReportBuild
from apps.reports.statistics import CITY, Jurisdiction
from tests.evaluations.factories import make_employment

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 6, 30, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture
def on_reference_day():
    with time_machine.travel(NOON, tick=False):
        yield


def request_and_build(user, capture, **kwargs):
    with capture(execute=True):
        build, created = services.report_request(actor=user, year=2026, **kwargs)
    build.refresh_from_db()
    return build, created


def test_district_report_is_built_and_downloaded_by_its_bureau(
    client, city, bureau_xihu_user, on_reference_day, django_capture_on_commit_callbacks
):
    build, created = request_and_build(
        bureau_xihu_user, django_capture_on_commit_callbacks, language="zh-hans"
    )
    assert created
    assert build.status == BuildStatus.READY
    assert build.progress == build.progress_total > 0
    assert Notification.objects.filter(recipient=bureau_xihu_user, kind="report.ready").exists()

    client.force_login(bureau_xihu_user)
    response = client.get(reverse("reports:download", args=[build.code, "xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "总览" in book.sheetnames
    sheet = book["外教"]
    assert sheet.freeze_panes == "A3"
    totals = [row for row in sheet.iter_rows(values_only=True) if row[0] == "合计"]
    assert totals[0][1] == stats.teacher_profile(Jurisdiction(city.xihu), city.today).total == 3
    assert AuditEvent.objects.filter(action="report.downloaded", target_id=str(build.pk)).exists()

    pdf = client.get(reverse("reports:download", args=[build.code, "pdf"]))
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "2026 年度外籍教师工作报告" in text
    assert "覆盖率：校校有外教" in text
    assert "合计\n3" in text or re.search(r"合计\s+3", text)
    assert "第 3 页" in text
    assert len(reader.pages) >= len(
        build_report(Jurisdiction(city.xihu), 2026, city.today).sections
    )


def test_city_xlsx_totals_equal_the_statistics_and_numbers_are_formatted(city, on_reference_day):
    report = build_report(CITY, 2026, city.today)
    book = load_workbook(io.BytesIO(build_xlsx(report)))
    sheet = book[book.sheetnames[2]]  # Foreign teachers (English: the test language)
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert rows["Total"][1].value == stats.teacher_profile(CITY, city.today).total == 4
    assert rows["Total"][1].number_format == "#,##0"
    coverage = book[book.sheetnames[4]]
    total = next(row for row in coverage.iter_rows() if row[0].value == "Total")
    assert total[4].value == pytest.approx(0.75)
    assert total[4].number_format == "0.0%"
    assert book[book.sheetnames[1]]._charts  # a native Excel chart on the overview


def test_small_counts_of_people_are_withheld(city, on_reference_day):
    report = build_report(CITY, 2026, city.today)
    teachers = next(s for s in report.sections if s.key == "teachers")
    ages = next(t for t in teachers.tables if t.title == "By age")
    # One teacher in a band would point at a person: threshold 5 by default.
    assert [row[1] for row in ages.rows] == ["<5", "<5", 0, "<5", "<5"]
    categories = next(t for t in teachers.tables if t.title == "By category")
    assert categories.total == ["Total", 4]


def test_text_cells_are_escaped_against_formula_injection():
    from datetime import date

    report = Report(
        title='=HYPERLINK("http://evil")',
        subtitle="x",
        year=2026,
        jurisdiction=CITY,
        on=date(2026, 6, 30),
        sections=[Section("s", "S", [Table("t", [("A", "text"), ("B", "int")], [["@SUM(1)", 1]])])],
        threshold=5,
    )
    book = load_workbook(io.BytesIO(build_xlsx(report)))
    assert book["Contents"]["A1"].value.startswith("'=")
    assert book["S"]["A3"].value == "'@SUM(1)"


def test_re_request_of_unchanged_data_returns_the_same_build(
    city, bureau_xihu_user, on_reference_day, django_capture_on_commit_callbacks
):
    first, _created = request_and_build(bureau_xihu_user, django_capture_on_commit_callbacks)
    again, created = request_and_build(bureau_xihu_user, django_capture_on_commit_callbacks)
    assert (again.pk, created) == (first.pk, False)
    make_employment(city.xb, start=city.today.replace(month=1, day=5))  # the figures change
    changed, created = request_and_build(bureau_xihu_user, django_capture_on_commit_callbacks)
    assert created and changed.pk != first.pk


def test_a_build_runs_once_even_if_the_task_runs_twice(
    city, bureau_xihu_user, on_reference_day, django_capture_on_commit_callbacks
):
    build, _created = request_and_build(bureau_xihu_user, django_capture_on_commit_callbacks)
    assert services.report_build_run(build_id=build.pk) is None  # already claimed and built


def test_district_bureau_cannot_request_or_download_another_district(
    client, city, bureau_xihu_user, bureau_city_user, on_reference_day,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_request(actor=bureau_xihu_user, year=2026, district_code="330105")
    gongshu, _created = request_and_build(
        bureau_city_user, django_capture_on_commit_callbacks, district_code="330105"
    )
    city_build, _created = request_and_build(bureau_city_user, django_capture_on_commit_callbacks)
    client.force_login(bureau_xihu_user)
    for build in (gongshu, city_build):
        assert client.get(reverse("reports:build", args=[build.code])).status_code == 404
        url = reverse("reports:download", args=[build.code, "pdf"])
        assert client.get(url).status_code == 404
    response = client.post(reverse("reports:request"), {"year": 2026, "district": "330105"})
    assert response.status_code == 403
    client.force_login(bureau_city_user)
    url = reverse("reports:download", args=[gongshu.code, "xlsx"])
    assert client.get(url).status_code == 200


def test_a_failed_build_shows_its_reason(
    client, city, bureau_xihu_user, on_reference_day, django_capture_on_commit_callbacks,
    monkeypatch,
):  # fmt: skip
    def broken(report):
        raise RuntimeError("The chart library is missing.")

    monkeypatch.setattr(services, "build_xlsx", broken)
    build, _created = request_and_build(bureau_xihu_user, django_capture_on_commit_callbacks)
    assert build.status == BuildStatus.FAILED
    assert build.failure_reason == "The chart library is missing."
    client.force_login(bureau_xihu_user)
    page = client.get(reverse("reports:build", args=[build.code])).content.decode()
    assert "The chart library is missing." in page
    assert Notification.objects.filter(recipient=bureau_xihu_user, kind="report.failed").exists()


def test_request_view_with_htmx_returns_the_polling_fragment(
    client, city, bureau_xihu_user, on_reference_day
):
    client.force_login(bureau_xihu_user)
    response = client.post(
        reverse("reports:request"), {"year": 2026, "district": ""}, HTTP_HX_REQUEST="true"
    )  # on_commit never runs inside the test transaction: the build stays queued
    html = response.content.decode()
    build = ReportBuild.objects.get()
    assert 'data-status="queued"' in html
    assert f'hx-get="{reverse("reports:build", args=[build.code])}"' in html
    assert 'hx-trigger="every 2s"' in html


def test_request_for_a_year_out_of_range_is_refused_with_a_message(
    client, city, bureau_xihu_user, on_reference_day
):
    client.force_login(bureau_xihu_user)
    response = client.post(reverse("reports:request"), {"year": 1999}, follow=True)
    assert "Choose a year between" in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_annual_schedule_runs_at_three_on_ten_january(db):
    schedule = settings.CELERY_BEAT_SCHEDULE["reports-build-annual"]
    assert schedule["task"] == "reports.build_annual_reports"
    crontab = schedule["schedule"]
    last_run = datetime(2026, 1, 10, 3, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2027, 1, 10, 2, 59, tzinfo=SHANGHAI), tick=False):
        assert not crontab.is_due(last_run).is_due
    with time_machine.travel(datetime(2027, 1, 10, 3, 0, 30, tzinfo=SHANGHAI), tick=False):
        assert crontab.is_due(last_run).is_due


def test_annual_job_queues_last_years_city_and_district_reports(db, bureau_xihu_user):
    from apps.core.models import District
    from apps.reports.tasks import build_annual_reports

    with time_machine.travel(datetime(2027, 1, 10, 3, 0, tzinfo=SHANGHAI), tick=False):
        assert build_annual_reports() == 1 + District.objects.count()
    builds = ReportBuild.objects.all()
    assert {b.year for b in builds} == {2026}
    assert builds.filter(district__isnull=True).count() == 1
    # A scheduled build tells the district's bureau viewers when it is ready.
    xihu = builds.get(district__code="330106")
    assert services._recipients(xihu) == [bureau_xihu_user]


def test_build_annual_report_command_prints_the_paths(city, tmp_path, on_reference_day):
    out = io.StringIO()
    call_command(
        "build_annual_report", "--year", "2026", "--district", "330106", "--output",
        str(tmp_path), stdout=out,
    )  # fmt: skip
    paths = out.getvalue().split()
    assert [p.rsplit(".", 1)[1] for p in paths] == ["xlsx", "pdf"]
    assert all((tmp_path / p.rsplit("/", 1)[1]).stat().st_size > 1000 for p in paths)


def test_bench_reports_smoke(city, on_reference_day):
    out = io.StringIO()
    call_command("bench_reports", "--year", "2026", "--district", "330106", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["city", "330106"]
    queries = [int(re.search(r"in (\d+) queries", line).group(1)) for line in lines]
    assert all(0 < n <= 25 for n in queries)


def test_seeded_closed_vacancies_spread_over_past_years():
    import uuid

    from apps.vacancies.seed import SEEDED_AT, _past_stamps

    stamps = [_past_stamps(uuid.UUID(int=n * 7919 + 11, version=4)) for n in range(200)]
    assert all(s["created_at"] <= s["published_at"] <= s["closed_at"] <= SEEDED_AT for s in stamps)
    assert len({s["published_at"].year for s in stamps}) >= 3  # history for year-over-year
    assert len({s["closed_at"] - s["published_at"] for s in stamps}) > 10  # days to fill vary
