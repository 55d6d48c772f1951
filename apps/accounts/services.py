from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from apps.core.migration_helpers import CENTER_STAFF_GROUP
from apps.core.services import audit_record, model_snapshot

from .models import BureauMembership, Role, User

PREFERENCE_FIELDS = ["full_name", "language", "timezone", "email_notifications"]


@transaction.atomic
def user_update_preferences(*, user: User, **values: Any) -> User:
    """Save the user's own name, language, time zone and email preference; audited."""
    # Compare with the stored row: a bound ModelForm has already changed the instance.
    stored = User.objects.select_for_update().get(pk=user.pk)
    before = model_snapshot(stored, PREFERENCE_FIELDS)
    changed = [name for name in PREFERENCE_FIELDS if name in values]
    for name in changed:
        setattr(stored, name, values[name])
    stored.full_clean()
    stored.save(update_fields=changed)
    after = model_snapshot(stored, PREFERENCE_FIELDS)
    if after != before:
        audit_record(
            actor=user, action="account.preferences", target=stored, before=before, after=after
        )
    for name in changed:
        setattr(user, name, getattr(stored, name))
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remember the language a signed-in user switched to, for pages and emails."""
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


@transaction.atomic
def staff_account_create(
    *,
    actor: Any,
    email: str,
    role: Role,
    full_name: str = "",
    language: str = "zh-hans",
    district: Any = None,
) -> User:
    """Create a center-staff or bureau account (no public sign-up for these); audited.

    The new user sets a password through the password-reset link; center staff get admin
    access and the "Center staff" group; a bureau account gets its district (none = municipal).
    """
    is_center = role == Role.CENTER_STAFF
    user = User(
        email=email.lower(), full_name=full_name, role=role, language=language, is_staff=is_center
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    if is_center:
        user.groups.add(Group.objects.get(name=CENTER_STAFF_GROUP))
    after: dict[str, Any] = {"role": role}
    if role == Role.BUREAU_VIEWER:
        BureauMembership.objects.create(user=user, district=district)
        after["district"] = district.code if district else None
    audit_record(actor=actor, action="account.create", target=user, after=after)
    return user
