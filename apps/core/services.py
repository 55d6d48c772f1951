from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .cache_versions import versions_bump
from .models import AuditEvent, PolicySettings
from .selectors import REFERENCE_VERSION_KEY, policy_settings_get


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit event; every service that changes state (or reveals secrets) calls it."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        before=before,
        after=after,
        reason=reason,
    )


def model_snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the named fields as JSON-safe values, for an audit before/after."""
    snapshot = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, bool | int | float | str):
            value = str(value)
        snapshot[name] = value
    return snapshot


@transaction.atomic
def policy_settings_update(*, actor: Any, **values: Any) -> PolicySettings:
    """Change policy numbers; raises ValidationError on an invalid combination; audited."""
    policy = PolicySettings.objects.select_for_update().get(pk=policy_settings_get().pk)
    unknown = set(values) - {f.name for f in PolicySettings._meta.fields}
    if unknown:
        raise ValidationError(f"Unknown policy settings: {', '.join(sorted(unknown))}")
    before = model_snapshot(policy, list(values))
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action="policy.update",
        target=policy,
        before=before,
        after=model_snapshot(policy, list(values)),
    )
    return policy


def reference_data_changed() -> None:
    """Retire the cached reference lists (districts, levels, subjects…), now and after commit."""
    versions_bump([REFERENCE_VERSION_KEY])
