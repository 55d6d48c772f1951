"""Run a matching over the city or one district and print its phase timings and counts."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import Role, User
from apps.core.models import District
from apps.matching import services
from apps.matching.models import MatchRun, RunKind

PHASES = ("load", "score", "assign", "prepare", "store", "total")


class Command(BaseCommand):
    help = "Start a full run or a stable round (queued on Celery, or executed here with --sync)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", help="District code (default: the whole city).")
        parser.add_argument("--kind", choices=[RunKind.FULL, RunKind.STABLE], default=RunKind.FULL)
        parser.add_argument(
            "--season",
            nargs=2,
            metavar=("FROM", "TO"),
            type=date.fromisoformat,
            help="Stable round: applications made from FROM to TO (YYYY-MM-DD, inclusive).",
        )
        parser.add_argument("--sync", action="store_true", help="Execute in this process.")
        parser.add_argument("--actor", help="Email of the center staff member starting the run.")

    def handle(self, *args: object, **options: object) -> None:
        district = None
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"No district with code {options['district']!r}.")
        season_start, season_end = options["season"] or (None, None)
        staff = User.objects.filter(role=Role.CENTER_STAFF, is_active=True)
        if options["actor"]:
            staff = staff.filter(email=options["actor"])
        actor = staff.order_by("pk").first()
        if actor is None:
            raise CommandError("No active center staff account to start the run as.")
        start = {
            "actor": actor,
            "district": district,
            "kind": options["kind"],
            "season_start": season_start,
            "season_end": season_end,
        }
        try:
            run = services.match_run_start(**start, queue=not options["sync"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if not options["sync"]:
            self.stdout.write(f"Queued run {run.code} ({run.scope_label}).")
            return
        services.match_run_execute(run_id=run.pk)
        run = MatchRun.objects.get(pk=run.pk)
        self.stdout.write(
            f"Run {run.code} ({run.get_kind_display()}, {run.scope_label}): {run.status}"
        )
        if run.failure_reason:
            raise CommandError(run.failure_reason)
        # JSONB does not keep key order: print phases in the order they ran.
        for phase in PHASES:
            if phase in run.timings:
                self.stdout.write(f"  {phase:<16} {run.timings[phase]:8.3f} s")
        for name, value in sorted(run.counts.items()):
            self.stdout.write(f"  {name:<16} {value}")
        for name, value in sorted(run.findings.items()):
            shown = len(value) if isinstance(value, list) else value
            self.stdout.write(f"  {name:<22} {shown}")
