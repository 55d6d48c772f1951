import factory
from allauth.account.models import EmailAddress

from apps.accounts.models import Role, User

PASSWORD = "correct-horse-battery"


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
    role = Role.CENTER_STAFF
    is_staff = True
    language = "zh-hans"


class BureauViewerUserFactory(UserFactory):
    role = Role.BUREAU_VIEWER
    language = "zh-hans"
