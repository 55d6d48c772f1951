from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.mfa import totp_code_now, totp_secret
from apps.accounts.models import User
from apps.accounts.seed import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo account (seeded with the public demo "
        "secret); refuses every other account."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="e.g. center@demo.hz-waijiao.cn")

    def handle(self, *args, email: str, **options):
        authenticator = Authenticator.objects.filter(
            user__in=User.objects.filter(email__iexact=email.strip()),
            type=Authenticator.Type.TOTP,
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no two-factor authenticator.")
        # Only the published demo secret: a real account's codes never leave its own phone.
        if totp_secret(authenticator) != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} is not a demo account: use its authenticator app.")
        self.stdout.write(totp_code_now(DEMO_TOTP_SECRET))
