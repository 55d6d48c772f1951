from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and the private media, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="an empty folder to write into (default: backups/<UTC timestamp>)",
        )
        parser.add_argument("--media-root", help="the media folder (default: MEDIA_ROOT)")

    def handle(self, *args, **options):
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        output = Path(options["output"] or Path(settings.BASE_DIR) / "backups" / stamp)
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            manifest = backup_create(output=output, media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up database {manifest['database']} and {len(manifest['media'])} media "
            f"files to {output}"
        )
