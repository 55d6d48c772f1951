import io

from openpyxl import load_workbook
from pypdf import PdfReader

from apps.reports.models import BuildStatus, ReportBuild
from tests.browser.helpers import log_in
from tests.reports.conftest import city  # noqa: F401  (the hand-counted city fixture)


def test_district_bureau_switches_year_and_downloads_the_annual_report(
    live_server,
    page,
    city,  # noqa: F811
    bureau_xihu_user,
):
    base = live_server.url
    log_in(page, base, bureau_xihu_user.email)
    page.goto(f"{base}/en/dashboard/bureau/")
    assert "Xihu" in page.get_by_test_id("statistics-heading").inner_text()
    page.locator("canvas[data-chart='category']").wait_for()

    # Switch to 2025: the headline and the report button follow the chosen year.
    page.get_by_label("Year").select_option("2025")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**year=2025**")
    assert "2025" in page.get_by_test_id("statistics-heading").inner_text()

    page.get_by_test_id("request-report").click()
    status = page.get_by_test_id("report-build").first
    page.get_by_test_id("download-pdf").wait_for(timeout=60_000)
    assert status.get_attribute("data-status") == BuildStatus.READY
    assert page.url.endswith("year=2025")  # htmx swapped the status in without a reload

    with page.expect_download() as xlsx_download:
        page.get_by_test_id("download-xlsx").click()
    book = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()))
    assert len(book.sheetnames) > 5
    with page.expect_download() as pdf_download:
        page.get_by_test_id("download-pdf").click()
    reader = PdfReader(pdf_download.value.path())
    assert len(reader.pages) > 5
    build = ReportBuild.objects.get()
    assert (build.year, build.district.code) == (2025, "330106")
