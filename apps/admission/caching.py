"""The versions a teacher's cached pages are keyed by, and the receivers that bump them.

A teacher's version changes (now and after commit) on every write to an input of their
admission result or their suggestions: the profile, its subjects, documents, experience,
certificates, credit records, and the rows other apps register (applications, employments,
recommendations). The policy version changes on every edit of the policy settings. The
receivers here only bump versions (they catch admin edits too); the rules stay in the services.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_save

from apps.core.cache_versions import rows_watched, versions_bump

from .rules import RuleResult
from .selectors import AdmissionResult

TEACHER_VERSION_KEY = "admission:teacher-version:{}"
POLICY_VERSION_KEY = "admission:policy-version"
RECENT_ROWS = 1000  # rows whose teacher the audit receiver need not read again


def teacher_version_key(teacher_id: int) -> str:
    return TEACHER_VERSION_KEY.format(teacher_id)


def teachers_changed(teacher_ids: Iterable[int | None]) -> None:
    """Retire the cached pages of these teachers (now and after commit)."""
    versions_bump(teacher_version_key(pk) for pk in set(teacher_ids) if pk is not None)


def policy_changed() -> None:
    """Retire every cached admission result (now and after commit)."""
    versions_bump([POLICY_VERSION_KEY])


def admission_frozen(result: AdmissionResult) -> AdmissionResult:
    """Return the result with each message rendered in the active language (cheap to cache)."""

    def freeze(rule: RuleResult | None) -> RuleResult | None:
        if rule is None:
            return None
        # The text already holds its parameters: an empty dict makes `text` return it as is.
        return RuleResult(rule.code, rule.passed, rule.text, {}, rule.fix_url)

    return AdmissionResult(
        result.teacher_id,
        [freeze(rule) for rule in result.rules],
        freeze(result.availability),
        result.live_document_kinds,
    )


# --- Receivers that only bump versions ------------------------------------------------------

_recent: dict[tuple[str, str], Any] = {}  # (model label, pk) → teacher id, of rows just saved


def teacher_rows_tracked(model: type[Model], *, teacher_field: str = "teacher_id") -> None:
    """Bump a teacher's version after every save, delete or audited move of one of these rows.

    ``teacher_field``: the attribute holding a row's teacher id ("pk" for the teacher itself).
    """
    label = model._meta.label_lower
    rows_watched(label, partial(_teacher_row_changed, model=model, field=teacher_field))


def _teacher_row_changed(
    row: Model | None, pk: Any, happened: str, *, model: type[Model], field: str
) -> None:
    label = model._meta.label_lower
    if row is not None:
        if len(_recent) >= RECENT_ROWS:
            _recent.clear()
        _recent[(label, str(pk))] = getattr(row, field)
        teachers_changed([getattr(row, field)])
    elif field == "pk":
        teachers_changed([int(pk)])
    elif (label, str(pk)) in _recent:
        teachers_changed([_recent[(label, str(pk))]])  # its save was already seen
    else:
        teachers_changed(model._base_manager.filter(pk=pk).values_list(field, flat=True))


def teacher_subjects_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """A teacher's subjects changed (the native-language rule reads them)."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        teachers_changed([instance.pk])
    elif action == "pre_clear":  # a subject's teachers cleared: read who held it before
        teachers_changed(
            sender.objects.filter(subject=instance).values_list("teacher_id", flat=True)
        )
    else:
        teachers_changed(pk_set or [])


def teacher_announced(sender, *, teacher_id: int, **kwargs: Any) -> None:
    """A lower app announced a change to the teacher (sent after commit)."""
    teachers_changed([teacher_id])


def policy_saved(sender, **kwargs: Any) -> None:
    policy_changed()


def receivers_connect() -> None:
    """Connect the version receivers for admission's own inputs (AdmissionConfig.ready)."""
    from apps.core.models import PolicySettings
    from apps.credit.models import CreditRecord
    from apps.credit.signals import teacher_credit_changed
    from apps.teachers.models import Document, Experience, Teacher, TeachingCertificate

    post_save.connect(policy_saved, sender=PolicySettings, dispatch_uid="admission-policy")
    teacher_rows_tracked(Teacher, teacher_field="pk")
    for model in (Document, Experience, TeachingCertificate, CreditRecord):
        teacher_rows_tracked(model)
    m2m_changed.connect(
        teacher_subjects_changed,
        sender=Teacher.subjects.through,
        dispatch_uid="admission-teacher-subjects",
    )
    teacher_credit_changed.connect(teacher_announced, dispatch_uid="admission-credit-changed")
