from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from apps.core.models import District
from apps.reports.builders.content import build_report
from apps.reports.builders.pdf import build_pdf
from apps.reports.builders.xlsx import build_xlsx
from apps.reports.statistics import Jurisdiction


class Command(BaseCommand):
    help = "Build the annual report (XLSX and/or PDF) for the city or one district into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--district", default="", help="district code; omit for the city")
        parser.add_argument("--format", choices=["xlsx", "pdf", "both"], default="both")
        parser.add_argument("--output", required=True, help="folder to write the files into")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, year, district, format, output, language, **options):
        place = None
        if district:
            place = District.objects.filter(code=district).first()
            if place is None:
                raise CommandError(f"No district with code {district!r}.")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        with translation.override(language):
            report = build_report(Jurisdiction(place), year, timezone.localdate())
            stem = f"annual-report-{year}-{district or 'city'}"
            builders = {"xlsx": build_xlsx, "pdf": build_pdf}
            for kind in ("xlsx", "pdf"):
                if format in (kind, "both"):
                    path = folder / f"{stem}.{kind}"
                    path.write_bytes(builders[kind](report))
                    self.stdout.write(str(path))
