"""One way to move a row along its status map: check the map, claim the row, audit the move.

Every app declares its map next to its choices in ``models.py`` and every status change goes
through :func:`transition`. ``extra`` holds other columns written in the same UPDATE
(timestamps, a reason); ``audit_fields`` names columns besides the status to keep in the audit
event's before/after; ``action`` defaults to "<app_label>.<model>.<to>"::

    # apps/vacancies/models.py
    class Vacancy(models.Model):
        TRANSITIONS = {S.DRAFT: {S.SUBMITTED, S.CLOSED}, S.SUBMITTED: {...}, ...}

    # apps/vacancies/services/vacancies.py
    transition(
        vacancy,
        VacancyStatus.PUBLISHED,
        actor=actor,
        transitions=Vacancy.TRANSITIONS,
        action="vacancy.published",
        extra={"published_at": timezone.now()},
    )

The write is ``UPDATE … SET status = <to> WHERE pk = … AND status = <current>``: when two
people act on the same row at once, the second finds the status already moved, updates no row
and gets a "changed meanwhile" error instead of silently overwriting the first.
"""

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .services import audit_record, model_snapshot

M = TypeVar("M", bound=models.Model)


def status_label(obj: models.Model, field: str, value: Any) -> str:
    """Return the translated label of one value of a choices field (the value if unknown)."""
    choices = dict(obj._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


def transition(
    obj: M,
    to: str,
    *,
    actor: Any,
    transitions: Mapping[str, Collection[str]],
    field: str = "status",
    reason: str = "",
    action: str | None = None,
    extra: dict[str, Any] | None = None,
    audit_fields: list[str] | None = None,
) -> M:
    """Move obj to ``to`` if allowed: conditional update, refresh, audit; raises ValidationError."""
    current = getattr(obj, field)
    model_name = obj._meta.verbose_name
    if to not in transitions.get(current, ()):
        raise ValidationError(
            _("This %(model)s is “%(status)s” and cannot become “%(target)s”.")
            % {
                "model": model_name,
                "status": status_label(obj, field, current),
                "target": status_label(obj, field, to),
            },
            code="invalid_transition",
        )
    audit_fields = [name for name in (audit_fields or []) if name != field]
    before = {field: current, **model_snapshot(obj, audit_fields)}

    values = {field: to, **(extra or {})}
    # QuerySet.update() skips pre_save(), so auto_now columns would keep their old value.
    for model_field in obj._meta.concrete_fields:
        if getattr(model_field, "auto_now", False) and model_field.name not in values:
            values[model_field.name] = timezone.now()
    claimed = type(obj)._base_manager.filter(pk=obj.pk, **{field: current}).update(**values)
    if claimed == 0:
        raise ValidationError(
            _("This %(model)s was changed meanwhile; reload the page and try again.")
            % {"model": model_name},
            code="changed_meanwhile",
        )
    obj.refresh_from_db(fields=list(values))

    audit_record(
        actor=actor,
        action=action or f"{obj._meta.app_label}.{obj._meta.model_name}.{to}",
        target=obj,
        before=before,
        after={field: to, **model_snapshot(obj, audit_fields)},
        reason=str(reason),
    )
    return obj
