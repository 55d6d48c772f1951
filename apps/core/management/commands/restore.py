import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.backups import BackupError, backup_restore

DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = (
        "Check a backup's manifest, restore its database into a new PostgreSQL database and "
        "unpack its media into an empty folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder (holding manifest.json)")
        parser.add_argument(
            "--database", required=True, help="name of the new database to create and fill"
        )
        parser.add_argument(
            "--media-root", help="an empty folder for the media (default: MEDIA_ROOT)"
        )

    def handle(self, *args, **options):
        if not DATABASE_NAME.match(options["database"]):
            raise CommandError("A database name is lower-case letters, digits and underscores.")
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            manifest = backup_restore(
                source=Path(options["source"]),
                database=options["database"],
                media_root=media_root,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored database {options['database']} and {len(manifest['media'])} media files "
            f"to {media_root}. Point DATABASE_URL at it and run `manage.py migrate --check`."
        )
