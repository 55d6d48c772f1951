from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.dates import Quarter
from apps.evaluations.services import evaluation_round_open


class Command(BaseCommand):
    help = "Open (or top up) the evaluation round of a quarter; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="e.g. 2026Q3")

    def handle(self, *args, quarter: str, **options):
        try:
            period = Quarter.parse(quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        today = timezone.localdate()
        if period.end >= today:
            # Evaluations cover a whole quarter: a round for one still running would miss
            # the employments that start after today and ask schools to judge half a quarter.
            raise CommandError(
                f"{period} has not ended yet (it ends on {period.end.isoformat()}; today is "
                f"{today.isoformat()}): open a round only for a quarter that is over, "
                f"e.g. {Quarter.containing(today).previous()}."
            )
        result = evaluation_round_open(quarter=period)
        self.stdout.write(
            f"{period}: {result.created} evaluations created, {result.existing} already existed "
            f"(deadline {result.round.deadline.isoformat()})"
        )
