from typing import Any

from django.core.cache import cache
from django.db import models
from django.utils.translation import get_language

from .cache_versions import version_get
from .models import PolicySettings

REFERENCE_VERSION_KEY = "core:reference-version"
REFERENCE_CHOICES_SECONDS = 60 * 60


def policy_settings_get() -> PolicySettings:
    """Return the policy settings row, creating it with the policy's defaults on first use."""
    settings, _created = PolicySettings.objects.get_or_create(pk=PolicySettings.SINGLETON_PK)
    return settings


def reference_version() -> int:
    """Return the version cached reference lists are keyed by (bumped when one is edited)."""
    return version_get(REFERENCE_VERSION_KEY)


def reference_choices(model: type[models.Model], *, by: str = "code") -> list[tuple[Any, str]]:
    """Return a reference table's (code, name) pairs in the active language, in its order.

    Filter forms list districts, levels and subjects on every search: the lists are cached,
    and the reference admin retires them on every edit (reference_data_changed). `by="pk"`:
    (id, name) pairs, for the bureau lists' filters that name rows by id.
    """
    label = model._meta.label_lower
    key = f"core:choices:{label}:{by}:{get_language()}:{reference_version()}"
    choices = cache.get(key)
    if choices is None:
        choices = [(getattr(row, by), str(row)) for row in model.objects.all()]
        cache.set(key, choices, REFERENCE_CHOICES_SECONDS)
    return choices
