"""Writes for vacancies: the state machine, cluster rules, approval, expiry and alerts."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.permissions import require_center_staff
from apps.core.models import Subject, TeachingLevel
from apps.core.notes import note_render
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.core.transitions import transition
from apps.credit.selectors import (
    POST_BLOCK_UNVERIFIED,
    blacklisted_school_ids,
    school_is_blacklisted,
    school_post_block,
)
from apps.notifications.services import notify
from apps.schools.models import GroupKind, School, SchoolGroup
from apps.schools.selectors import school_contacts, school_for_user

from ..caching import search_results_changed
from ..models import Vacancy, VacancyEvent, VacancyNote, VacancySchool, VacancyStatus
from ..signals import vacancy_closed, vacancy_published

S = VacancyStatus
EDITABLE_STATUSES = {S.DRAFT, S.SUBMITTED, S.PUBLISHED}
# Changing any of these on a published vacancy sends it back to the center for approval.
KEY_FIELDS = ("contract_start", "contract_end", "salary_min", "salary_max", "weekly_hours", "posts")
CONTENT_FIELDS = (
    "title_en",
    "title_zh_hans",
    "grades",
    "weekly_hours",
    "posts",
    "contract_start",
    "contract_end",
    "salary_min",
    "salary_max",
    "housing",
    "benefits",
    "min_degree",
    "min_experience_years",
    "certificate_required",
    "min_chinese_level",
    "accepted_categories",
    "hiring_channel",
    "description_en",
    "description_zh_hans",
)


@dataclass(frozen=True)
class ClusterShare:
    """One school's weekly hours in a cluster vacancy."""

    school: School
    weekly_hours: int


def _transition(
    vacancy: Vacancy,
    to: str,
    *,
    actor: Any,
    note: str = "",
    note_code: str = "",
    note_params: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    # Every status change of a vacancy comes through here: the map check, the conditional
    # update and the audit are core.transitions'; the vacancy's own history row and the
    # "closed" signal (its open applications are closed after commit) are added here.
    before = vacancy.status
    now = timezone.now()
    stamps: dict[str, Any] = {}
    if to == S.SUBMITTED:
        stamps["submitted_at"] = now
    elif to == S.PUBLISHED:
        stamps = {"published_at": now, "return_reason": ""}
    elif to in {S.CLOSED, S.EXPIRED, S.FILLED}:
        stamps["closed_at"] = now
    system_note = note_render(VacancyNote, code=note_code, params=note_params, typed="")
    transition(
        vacancy,
        to,
        actor=actor,
        transitions=Vacancy.TRANSITIONS,
        action=f"vacancy.{to}",
        reason=" ".join(filter(None, [system_note, note])),
        extra=stamps | (extra or {}),
    )
    # A system note is kept as its code, so each reader sees it in their own language.
    VacancyEvent.objects.create(
        vacancy=vacancy,
        actor=actor,
        from_status=before,
        to_status=to,
        note=note,
        note_code=note_code,
        note_params=note_params or {},
    )
    search_results_changed()
    if to in {S.CLOSED, S.EXPIRED}:
        vacancy_id = vacancy.pk
        transaction.on_commit(lambda: vacancy_closed.send(sender=Vacancy, vacancy_id=vacancy_id))


def vacancy_mark_filled(*, actor: Any, vacancy: Vacancy) -> Vacancy:
    """Mark a published vacancy filled once its last post is taken; the caller holds its lock."""
    _transition(vacancy, S.FILLED, actor=actor, note_code=VacancyNote.ALL_POSTS_FILLED)
    return vacancy


def _ensure_staff_of(actor: Any, school: School) -> None:
    if school_for_user(actor) != school:
        raise PermissionDenied


def _ensure_may_post(school: School) -> None:
    block = school_post_block(school, on=timezone.localdate())
    if block == POST_BLOCK_UNVERIFIED:
        raise ValidationError(_("Your school can post vacancies once the center has verified it."))
    if block is not None:
        raise ValidationError(
            _("A credit restriction on your school is in force: it cannot post vacancies.")
        )


def cluster_validate(
    *, school: School, cluster: SchoolGroup, shares: Sequence[ClusterShare], weekly_hours: int
) -> None:
    """Check a cluster vacancy's schools and hours against the cluster; raise ValidationError."""
    errors = []
    if cluster.kind != GroupKind.CLUSTER or cluster.lead_school_id != school.pk:
        raise ValidationError(
            _("Only the lead school of a cluster can post a vacancy for that cluster.")
        )
    member_ids = set(cluster.members.values_list("school_id", flat=True))
    named = [share.school.pk for share in shares]
    if len(set(named)) != len(named):
        errors.append(_("Each school can be named only once."))
    if school.pk not in named:
        errors.append(_("Give the lead school its weekly hours too."))
    outsiders = [
        s.school for s in shares if s.school.pk != school.pk and s.school.pk not in member_ids
    ]
    if outsiders:
        errors.append(
            _("%(schools)s is not a member of this cluster.")
            % {"schools": ", ".join(str(s) for s in outsiders)}
        )
    restricted = blacklisted_school_ids(
        on=timezone.localdate(), among=[pk for pk in named if pk != school.pk]
    )
    if restricted:
        errors.append(
            _("%(schools)s is under a credit restriction and cannot hire.")
            % {"schools": ", ".join(str(s.school) for s in shares if s.school.pk in restricted)}
        )
    members_named = len({pk for pk in named if pk != school.pk})
    maximum = policy_settings_get().max_cluster_members
    if members_named > maximum:
        errors.append(
            _("A cluster vacancy can name at most %(max)s member schools besides the lead school.")
            % {"max": maximum}
        )
    if members_named == 0:
        errors.append(_("Name at least one member school, or post an ordinary vacancy."))
    total = sum(share.weekly_hours for share in shares)
    if total != weekly_hours:
        errors.append(
            _("The schools' weekly hours add up to %(sum)s, not the vacancy's %(total)s.")
            % {"sum": total, "total": weekly_hours}
        )
    if any(share.weekly_hours < 1 for share in shares):
        errors.append(_("Every school named needs at least one teaching hour a week."))
    if errors:
        raise ValidationError(errors)


def _apply(
    vacancy: Vacancy,
    *,
    values: Mapping[str, Any],
    subjects: Iterable[Subject],
    levels: Iterable[TeachingLevel],
    cluster: SchoolGroup | None,
    shares: Sequence[ClusterShare],
) -> None:
    for name in CONTENT_FIELDS:
        if name in values:
            setattr(vacancy, name, values[name])
    vacancy.cluster = cluster
    if cluster is not None:
        vacancy.posts = 1
        cluster_validate(
            school=vacancy.school, cluster=cluster, shares=shares, weekly_hours=vacancy.weekly_hours
        )
    vacancy.full_clean(exclude=["created_by"])
    vacancy.save()
    subjects, levels = list(subjects), list(levels)
    if not subjects:
        raise ValidationError({"subjects": _("Choose at least one subject.")})
    if not levels:
        raise ValidationError({"levels": _("Choose at least one school level.")})
    vacancy.subjects.set(subjects)
    vacancy.levels.set(levels)
    vacancy.cluster_schools.all().delete()
    if cluster is not None:
        VacancySchool.objects.bulk_create(
            VacancySchool(vacancy=vacancy, school=s.school, weekly_hours=s.weekly_hours)
            for s in shares
        )
    search_results_changed()


@transaction.atomic
def vacancy_create(
    *,
    actor: Any,
    school: School,
    values: Mapping[str, Any],
    subjects: Iterable[Subject],
    levels: Iterable[TeachingLevel],
    cluster: SchoolGroup | None = None,
    shares: Sequence[ClusterShare] = (),
) -> Vacancy:
    """Create a draft vacancy for the actor's own verified school; raises ValidationError."""
    _ensure_staff_of(actor, school)
    _ensure_may_post(school)
    vacancy = Vacancy(school=school, created_by=actor, status=S.DRAFT)
    _apply(vacancy, values=values, subjects=subjects, levels=levels, cluster=cluster, shares=shares)
    audit_record(actor=actor, action="vacancy.create", target=vacancy)
    return vacancy


@transaction.atomic
def vacancy_update(
    *,
    actor: Any,
    vacancy: Vacancy,
    values: Mapping[str, Any],
    subjects: Iterable[Subject],
    levels: Iterable[TeachingLevel],
    cluster: SchoolGroup | None = None,
    shares: Sequence[ClusterShare] = (),
) -> Vacancy:
    """Edit a vacancy; key changes to a published one send it back for approval."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    _ensure_staff_of(actor, vacancy.school)
    if vacancy.status not in EDITABLE_STATUSES:
        raise ValidationError(_("A filled, closed or expired vacancy can no longer be edited."))
    before = {name: getattr(vacancy, name) for name in KEY_FIELDS}
    before_subjects = set(vacancy.subjects.values_list("pk", flat=True))
    _apply(vacancy, values=values, subjects=subjects, levels=levels, cluster=cluster, shares=shares)
    key_changed = any(getattr(vacancy, name) != before[name] for name in KEY_FIELDS) or (
        set(vacancy.subjects.values_list("pk", flat=True)) != before_subjects
    )
    audit_record(actor=actor, action="vacancy.update", target=vacancy)
    if vacancy.status == S.PUBLISHED and key_changed:
        _transition(
            vacancy,
            S.SUBMITTED,
            actor=actor,
            note_code=VacancyNote.KEY_TERMS_CHANGED,
        )
    return vacancy


@transaction.atomic
def vacancy_copy(*, actor: Any, vacancy: Vacancy) -> Vacancy:
    """Start a new draft from one of the school's vacancies (the cluster split included).

    The copy is checked like a new vacancy: a cluster split naming a school that has since left
    the cluster raises ValidationError.
    """
    _ensure_staff_of(actor, vacancy.school)
    _ensure_may_post(vacancy.school)
    source = Vacancy.objects.select_related("school", "cluster").get(pk=vacancy.pk)
    shares = [
        ClusterShare(school=row.school, weekly_hours=row.weekly_hours)
        for row in source.cluster_schools.select_related("school")
    ]
    copy = Vacancy(school=source.school, created_by=actor, status=S.DRAFT)
    _apply(
        copy,
        values={name: getattr(source, name) for name in CONTENT_FIELDS},
        subjects=source.subjects.all(),
        levels=source.levels.all(),
        cluster=source.cluster,
        shares=shares,
    )
    audit_record(actor=actor, action="vacancy.copy", target=copy, after={"from": str(source.code)})
    return copy


def _locked(vacancy: Vacancy) -> Vacancy:
    return Vacancy.objects.select_for_update().select_related("school").get(pk=vacancy.pk)


@transaction.atomic
def vacancy_submit(*, actor: Any, vacancy: Vacancy) -> Vacancy:
    """Send a draft to the center for approval."""
    vacancy = _locked(vacancy)
    _ensure_staff_of(actor, vacancy.school)
    _ensure_may_post(vacancy.school)
    _transition(vacancy, S.SUBMITTED, actor=actor)
    return vacancy


@transaction.atomic
def vacancy_withdraw(*, actor: Any, vacancy: Vacancy) -> Vacancy:
    """Take a submitted vacancy back to draft before the center decides."""
    vacancy = _locked(vacancy)
    _ensure_staff_of(actor, vacancy.school)
    if vacancy.status != S.SUBMITTED:
        raise ValidationError(_("Only a vacancy waiting for approval can be withdrawn."))
    _transition(vacancy, S.DRAFT, actor=actor, note_code=VacancyNote.WITHDRAWN_BY_SCHOOL)
    return vacancy


@transaction.atomic
def vacancy_close(*, actor: Any, vacancy: Vacancy) -> Vacancy:
    """Close a vacancy the school no longer recruits for."""
    vacancy = _locked(vacancy)
    _ensure_staff_of(actor, vacancy.school)
    _transition(vacancy, S.CLOSED, actor=actor, note_code=VacancyNote.CLOSED_BY_SCHOOL)
    return vacancy


def _tell_school(vacancy: Vacancy, *, kind: str, title, body="", params=None) -> None:
    for user in school_contacts(school=vacancy.school, also_user_id=vacancy.created_by_id):
        notify(
            recipient=user,
            kind=kind,
            title=title,
            body=body,
            params=params or {},
            url=vacancy.get_absolute_url(),
        )


VACANCY_APPROVED = gettext_lazy("Vacancy published: %(title)s")
VACANCY_SENT_BACK = gettext_lazy("Vacancy sent back: %(title)s")
VACANCY_SENT_BACK_BODY = gettext_lazy("The service center asks for changes: %(reason)s")


@transaction.atomic
def vacancy_approve(*, actor: Any, vacancy: Vacancy) -> Vacancy:
    """Publish a submitted vacancy (center staff); announce it after commit."""
    require_center_staff(actor)
    vacancy = _locked(vacancy)
    _ensure_may_post(vacancy.school)
    _transition(vacancy, S.PUBLISHED, actor=actor)
    _tell_school(
        vacancy,
        kind="vacancy.published",
        title=VACANCY_APPROVED,
        params={"title": vacancy.title_for_reader},
    )
    vacancy_id = vacancy.pk
    transaction.on_commit(lambda: vacancy_published.send(sender=Vacancy, vacancy_id=vacancy_id))
    from ..tasks import send_saved_search_alerts

    send_saved_search_alerts.delay_on_commit(vacancy_id)
    return vacancy


@transaction.atomic
def vacancy_send_back(*, actor: Any, vacancy: Vacancy, reason: str) -> Vacancy:
    """Return a submitted vacancy to the school as a draft, with the reason (center staff)."""
    require_center_staff(actor)
    if not reason.strip():
        raise ValidationError(_("Say why the vacancy is sent back."))
    vacancy = _locked(vacancy)
    if vacancy.status != S.SUBMITTED:
        raise ValidationError(_("Only a vacancy waiting for approval can be sent back."))
    _transition(
        vacancy,
        S.DRAFT,
        actor=actor,
        note=reason.strip(),
        extra={"return_reason": reason.strip()},
    )
    _tell_school(
        vacancy,
        kind="vacancy.sent_back",
        title=VACANCY_SENT_BACK,
        body=VACANCY_SENT_BACK_BODY,
        params={"title": vacancy.title_for_reader, "reason": vacancy.return_reason},
    )
    return vacancy


VACANCIES_CLOSED_RESTRICTED = gettext_lazy("Vacancy closed: %(title)s")
VACANCIES_CLOSED_RESTRICTED_BODY = gettext_lazy(
    "A credit restriction on your school is in force, so its open vacancies were closed and "
    "their applicants told."
)
VACANCY_CLOSED_MEMBER_RESTRICTED_BODY = gettext_lazy(
    "A credit restriction on %(school)s, a school of this cluster vacancy, is in force and a "
    "restricted school cannot hire, so the vacancy was closed and its applicants told. You may "
    "post it again without that school."
)


def vacancies_close_for_restricted_school(*, school_id: int) -> int:
    """Close a restricted school's unfinished vacancies and the cluster vacancies naming it as a
    member (the lead school and applicants are told); safe to rerun."""
    if not school_is_blacklisted(school_id, on=timezone.localdate()):
        return 0  # revoked or not yet in force by the time this ran
    closed = 0
    unfinished = Vacancy.objects.filter(
        Q(school_id=school_id) | Q(cluster_schools__school_id=school_id),
        status__in=[S.DRAFT, S.SUBMITTED, S.PUBLISHED],
    ).distinct()
    for vacancy_id in unfinished.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            vacancy = (
                Vacancy.objects.select_for_update()
                .select_related("school")
                .filter(pk=vacancy_id, status__in=[S.DRAFT, S.SUBMITTED, S.PUBLISHED])
                .first()
            )
            if vacancy is None:
                continue
            if vacancy.school_id == school_id:
                note_code, params, body = (
                    VacancyNote.SCHOOL_RESTRICTED,
                    {},
                    (VACANCIES_CLOSED_RESTRICTED_BODY),
                )
            else:
                # A cluster post is one contract all its schools sign, and a restricted school
                # cannot hire: the post cannot be filled as planned. Dropping the member would
                # rewrite the bureau's cluster plan and the hours split, which is the lead
                # school's decision: it may post again without that school.
                member = School.objects.get(pk=school_id)
                note_code, params, body = (
                    VacancyNote.MEMBER_SCHOOL_RESTRICTED,
                    {"school": member.name},
                    VACANCY_CLOSED_MEMBER_RESTRICTED_BODY,
                )
            _transition(vacancy, S.CLOSED, actor=None, note_code=note_code, note_params=params)
            _tell_school(
                vacancy,
                kind="vacancy",
                title=VACANCIES_CLOSED_RESTRICTED,
                body=body,
                params={"title": vacancy.title_for_reader, **params},
            )
            closed += 1
    return closed


def vacancies_expire(*, today: date) -> int:
    """Expire published vacancies whose contract start has passed; safe to run twice."""
    expired = 0
    candidates = Vacancy.objects.filter(status=S.PUBLISHED, contract_start__lt=today)
    for vacancy_id in candidates.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            vacancy = (
                Vacancy.objects.select_for_update(skip_locked=True)
                .filter(pk=vacancy_id, status=S.PUBLISHED)
                .first()
            )
            if vacancy is None:
                continue
            _transition(vacancy, S.EXPIRED, actor=None, note_code=VacancyNote.START_PASSED)
            expired += 1
    return expired
