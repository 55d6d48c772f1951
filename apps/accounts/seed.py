"""Demo logins for every role, pre-verified (later apps attach schools and teachers)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from apps.core.migration_helpers import CENTER_STAFF_GROUP
from apps.core.seeding import DEMO_PASSWORD, SeedContext

from .mfa import totp_enrol, totp_uri
from .models import Role, User

# The demo center account's authenticator secret: public, demo data only (seed_demo refuses
# production). Center staff must pass two-factor authentication, so the demo prints how.
DEMO_TOTP_SECRET = "HZWAIJIAODEMOTOTPSECRETONLY23456"  # noqa: S105

DEMO_USERS = [
    # (email, full name, role, language)
    ("center@demo.hz-waijiao.cn", "Wang Li (center)", Role.CENTER_STAFF, "zh-hans"),
    ("bureau.city@demo.hz-waijiao.cn", "Municipal Education Bureau", Role.BUREAU_VIEWER, "zh-hans"),
    (
        "bureau.xihu@demo.hz-waijiao.cn",
        "Xihu District Education Bureau",
        Role.BUREAU_VIEWER,
        "zh-hans",
    ),
    ("school.lead@demo.hz-waijiao.cn", "Chen Jing (liaison)", Role.SCHOOL_STAFF, "zh-hans"),
    ("school.member@demo.hz-waijiao.cn", "Zhao Min (liaison)", Role.SCHOOL_STAFF, "zh-hans"),
    ("teacher.emma@demo.hz-waijiao.cn", "Emma Clarke", Role.TEACHER, "en"),
    ("teacher.james@demo.hz-waijiao.cn", "James O'Neill", Role.TEACHER, "en"),
]


def demo_user(email: str, full_name: str, role: Role, language: str) -> User:
    """Create or refresh one demo login with a verified primary email."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "role": role,
            "language": language,
            "is_staff": role == Role.CENTER_STAFF,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role == Role.CENTER_STAFF:
        user.groups.add(Group.objects.get(name=CENTER_STAFF_GROUP))
    return user


def seed(context: SeedContext) -> None:
    for email, full_name, role, language in DEMO_USERS:
        user = demo_user(email, full_name, role, language)
        context.add_login(role.label, email)
        if role == Role.CENTER_STAFF:
            totp_enrol(user=user, secret=DEMO_TOTP_SECRET)
            context.add_note(
                f"Two-factor sign-in for {email} (center staff must use it):\n"
                "  add this key to an authenticator app (Google Authenticator, FreeOTP, "
                f"1Password…): {DEMO_TOTP_SECRET}\n"
                f"  or import this URI: {totp_uri(user=user, secret=DEMO_TOTP_SECRET)}\n"
                "  or print the current code: "
                f".venv/bin/python manage.py demo_totp_code {email}"
            )
