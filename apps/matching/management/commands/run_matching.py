"""Run a matching over the city or one district and print its phase timings and counts."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import Role, User
from apps.core.models import District
from apps.matching import services
from apps.matching.models import MatchRun


class Command(BaseCommand):
    help = "Start a full matching run (queued on Celery, or executed here with --sync)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", help="District code (default: the whole city).")
        parser.add_argument("--sync", action="store_true", help="Execute in this process.")
        parser.add_argument("--actor", help="Email of the center staff member starting the run.")

    def handle(self, *args: object, **options: object) -> None:
        district = None
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"No district with code {options['district']!r}.")
        staff = User.objects.filter(role=Role.CENTER_STAFF, is_active=True)
        if options["actor"]:
            staff = staff.filter(email=options["actor"])
        actor = staff.order_by("pk").first()
        if actor is None:
            raise CommandError("No active center staff account to start the run as.")
        if options["sync"]:
            run = services.match_run_start(actor=actor, district=district, queue=False)
            services.match_run_execute(run_id=run.pk)
        else:
            run = services.match_run_start(actor=actor, district=district)
            self.stdout.write(f"Queued run {run.code} ({run.scope_label}).")
            return
        run = MatchRun.objects.get(pk=run.pk)
        self.stdout.write(f"Run {run.code} ({run.scope_label}): {run.status}")
        if run.failure_reason:
            raise CommandError(run.failure_reason)
        # JSONB does not keep key order: print phases in the order they ran.
        for phase in services.PHASES:
            self.stdout.write(f"  {phase:<16} {run.timings.get(phase, 0):8.3f} s")
        for name, value in sorted(run.counts.items()):
            self.stdout.write(f"  {name:<16} {value}")
