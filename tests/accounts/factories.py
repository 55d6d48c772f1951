import factory
from allauth.account.models import EmailAddress

from apps.accounts.mfa import totp_enrol
from apps.accounts.models import Role, User

PASSWORD = "correct-horse-battery"
# Every factory-made center user's authenticator app holds this secret (tests only).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.TEACHER
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class TeacherUserFactory(UserFactory):
    role = Role.TEACHER


class SchoolStaffUserFactory(UserFactory):
    role = Role.SCHOOL_STAFF
    language = "zh-hans"


class CenterStaffUserFactory(UserFactory):
    """Center staff enrolled in TOTP (MFA is mandatory for them); `totp=False` to skip."""

    role = Role.CENTER_STAFF
    is_staff = True
    language = "zh-hans"

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            totp_enrol(user=self, secret=TOTP_SECRET)


class BureauViewerUserFactory(UserFactory):
    role = Role.BUREAU_VIEWER
    language = "zh-hans"
