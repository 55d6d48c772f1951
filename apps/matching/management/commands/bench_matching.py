"""Benchmark the matching engine on synthetic data: one line per phase, then a JSON summary."""

from django.core.management.base import BaseCommand, CommandParser

from apps.matching.engine.bench import run_benchmark


class Command(BaseCommand):
    help = "Benchmark scoring, shortlists, assignment and deferred acceptance on synthetic data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--teachers", type=int, default=10_000)
        parser.add_argument("--vacancies", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument(
            "--exact",
            action="store_true",
            help="Compare with SciPy's dense optimum (at most 5,000 per side).",
        )

    def handle(self, *args: object, **options: object) -> None:
        run_benchmark(
            teachers=options["teachers"],
            vacancies=options["vacancies"],
            seed=options["seed"],
            exact=options["exact"],
            workers=options["workers"],
            out=self.stdout.write,
        )
