import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core.seeding import Scale, SeedContext, is_production_settings, seed_modules


class Command(BaseCommand):
    help = "Fill the database with a deterministic demo city (idempotent; never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=[s.value for s in Scale], default=Scale.SMALL.value)
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args, scale: str, seed: int, **options):
        if is_production_settings():
            raise CommandError("seed_demo refuses to run with production settings.")
        context = SeedContext(scale=Scale(scale), seed=seed, stdout=self.stdout)
        started = time.perf_counter()
        for module in seed_modules():
            step_started = time.perf_counter()
            with transaction.atomic():
                module.seed(context)
            app_label = module.__name__.split(".")[1]
            seconds = time.perf_counter() - step_started
            self.stdout.write(f"seeded {app_label:<14} {seconds:6.1f} s")
        self.stdout.write(f"seed_demo done in {time.perf_counter() - started:.1f} s ({scale})")
        self.stdout.write("")
        logins = [(str(role), email, password) for role, email, password in context.logins]
        role_width = max(len("role"), *(len(role) for role, _email, _password in logins)) + 2
        email_width = max(len(email) for _role, email, _password in logins) + 2
        self.stdout.write(f"{'role':<{role_width}}{'email':<{email_width}}password")
        for role, email, password in logins:
            self.stdout.write(f"{role:<{role_width}}{email:<{email_width}}{password}")
        for note in context.notes:
            self.stdout.write("")
            self.stdout.write(note)
