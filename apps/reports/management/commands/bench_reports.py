import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.core.models import District
from apps.reports.builders.content import build_report
from apps.reports.builders.pdf import build_pdf
from apps.reports.builders.xlsx import build_xlsx
from apps.reports.selectors import dashboard_figures_read
from apps.reports.statistics import CITY, Jurisdiction


class Command(BaseCommand):
    help = (
        "Time the bureau dashboard statistics (and count their queries) and the annual "
        "report's XLSX and PDF builds, for the city and one district."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="default: this year")
        parser.add_argument("--district", default="", help="district code; default: the first")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, year, district, language, **options):
        today = timezone.localdate()
        year = year or today.year
        place = (
            District.objects.filter(code=district).first()
            if district
            else District.objects.order_by("sort_order", "code").first()
        )
        if place is None:
            raise CommandError("No district to measure (load the reference data first).")
        results = []
        with translation.override(language):
            for jurisdiction in (CITY, Jurisdiction(place)):
                dashboard_figures_read(jurisdiction=jurisdiction, year=year, today=today)  # warm
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    dashboard_figures_read(jurisdiction=jurisdiction, year=year, today=today)
                    statistics_s = time.perf_counter() - started
                started = time.perf_counter()
                report = build_report(jurisdiction, year, today)
                content_s = time.perf_counter() - started
                started = time.perf_counter()
                xlsx = build_xlsx(report)
                xlsx_s = time.perf_counter() - started
                started = time.perf_counter()
                pdf = build_pdf(report)
                pdf_s = time.perf_counter() - started
                results.append(
                    {
                        "jurisdiction": jurisdiction.key,
                        "statistics_s": statistics_s,
                        "statistics_queries": len(queries.captured_queries),
                        "report_figures_s": content_s,
                        "xlsx_s": content_s + xlsx_s,
                        "pdf_s": content_s + pdf_s,
                        "xlsx_bytes": len(xlsx),
                        "pdf_bytes": len(pdf),
                    }
                )
        for row in results:
            self.stdout.write(
                f"{row['jurisdiction']:>8}: dashboard statistics {row['statistics_s']:.3f} s "
                f"in {row['statistics_queries']} queries; report figures "
                f"{row['report_figures_s']:.2f} s; XLSX {row['xlsx_s']:.2f} s "
                f"({row['xlsx_bytes']:,} bytes); PDF {row['pdf_s']:.2f} s "
                f"({row['pdf_bytes']:,} bytes)"
            )
        return None
