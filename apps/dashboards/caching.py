"""The school dashboard's figures, cached per school; every write to what they show retires them.

Keyed by the school, the language, the local date (open and late evaluations and credit
restrictions turn on the date), the school's version and the version all schools share
(group listings name other schools; evaluation rounds open for everyone) and the reference
data's (the names of the district and the school type). The versions are bumped after commit
by the receivers below: saves and deletes (the admin's too), and status moves — conditional
UPDATEs that send no post_save — through the audit event every transition() records about
its row. The signed-in member's own membership is read live
(deactivation takes effect on the next request). The overdue steps, which turn overdue by the
clock, are cached under the name of the city's overdue list (apps.guidance).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import get_language

from apps.core.cache_versions import rows_watched, versions_bump, versions_get
from apps.core.selectors import REFERENCE_VERSION_KEY

# A second safety net behind the exact invalidation.
FIGURES_SECONDS = 5 * 60
# The cached figures' shape: change it with the dataclasses below, so no old entry is read.
FIGURES_FORMAT = 2
SCHOOL_VERSION_KEY = "dashboards:school-version:{}"
ALL_SCHOOLS_VERSION_KEY = "dashboards:schools-version"


@dataclass(frozen=True)
class StaffRow:
    code: str
    user_id: int
    name: str
    email: str
    is_liaison: bool
    is_active: bool


@dataclass(frozen=True)
class GroupRow:
    name: str
    kind: str  # the kind's label in the figures' language
    lead_school: str
    members: list[tuple[str, str]]  # (school, role label)


@dataclass(frozen=True)
class PartnerRow:
    name: str
    url: str
    city: str
    country: str
    since: date


@dataclass(frozen=True)
class SchoolFigures:
    """What the school dashboard shows besides the school's own row, in plain values."""

    district: str
    school_type: str
    post_block: str | None  # credit.selectors.school_post_block on the day
    open_applicants: int
    active_employments: int
    evaluation_counts: dict[str, int]  # open, late, done
    staff: list[StaffRow]
    groups: list[GroupRow]
    partners: list[PartnerRow]


def _figures(school: Any, today: date) -> SchoolFigures:
    from apps.applications.selectors import open_applicant_count_for_school
    from apps.credit.selectors import school_post_block
    from apps.employment.selectors import employment_active_count
    from apps.evaluations.selectors.evaluations import evaluation_counts_for_school
    from apps.schools import selectors as school_selectors
    from apps.schools.models import School

    staff = [
        StaffRow(
            code=str(member.code),
            user_id=member.user_id,
            name=member.user.get_full_name(),
            email=member.user.email,
            is_liaison=member.is_liaison,
            is_active=member.is_active,
        )
        for member in school_selectors.school_staff_list(school=school)
    ]
    groups = [
        GroupRow(
            name=group.name,
            kind=str(group.get_kind_display()),
            lead_school=str(group.lead_school),
            members=[
                (str(member.school), str(member.get_role_display()))
                for member in group.members.all()
            ],
        )
        for group in school_selectors.school_groups_for_school(school=school)
    ]
    partners = [
        PartnerRow(
            name=partner.name,
            url=partner.get_absolute_url(),
            city=partner.city,
            country=str(partner.country.name),
            since=partner.since,
        )
        for partner in school_selectors.school_partner_list(school=school)
    ]
    # The district's and type's names in the figures' language (reference rows).
    named = School.objects.select_related("district", "school_type").get(pk=school.pk)
    return SchoolFigures(
        district=str(named.district),
        school_type=str(named.school_type),
        post_block=school_post_block(school, on=today),
        open_applicants=open_applicant_count_for_school(school=school),
        active_employments=employment_active_count(school=school),
        evaluation_counts=evaluation_counts_for_school(school=school, today=today),
        staff=staff,
        groups=groups,
        partners=partners,
    )


def school_overdue_steps(*, user: Any, school: Any) -> list:
    """Return the overdue steps of the school's active hires (cached under the city's list).

    The city-wide summary names the overdue list exactly: its key holds the versions of the
    open steps and of the hires (their schools and teachers too), the Shanghai day and the
    count (with the rest fixed, steps only become overdue as time passes, and the summary is
    recounted once the next due time has passed). What names the city's list names this
    school's part of it. The rows are rendered per request (dates in Beijing time, titles in
    the reader's language).
    """
    from apps.guidance.selectors import overdue_steps_for_school, overdue_summary_all

    summary = overdue_summary_all()
    if summary.count == 0:
        return []
    key = f"dashboards:school-overdue:{school.pk}:{summary.key}"
    steps = cache.get(key)
    if steps is None:
        steps = list(overdue_steps_for_school(user=user))
        cache.set(key, steps, FIGURES_SECONDS)
    return steps


def school_cache_key(school: Any) -> str:
    """Return the key part that names what a school's own pages show as it is now: the school
    and the versions its figures are retired by (one cache round trip)."""
    versions = versions_get(
        [SCHOOL_VERSION_KEY.format(school.pk), ALL_SCHOOLS_VERSION_KEY, REFERENCE_VERSION_KEY]
    )
    return f"{school.pk}:{'.'.join(str(version) for version in versions)}"


def school_dashboard_figures(*, school: Any, today: date) -> SchoolFigures:
    """Return the school's dashboard figures on the date in the active language (cached)."""
    stamp = school_cache_key(school)
    key = f"dashboards:school:{FIGURES_FORMAT}:{get_language()}:{today}:{stamp}"
    figures = cache.get(key)
    if figures is None:
        figures = _figures(school, today)
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


# --- Which schools a written row concerns -------------------------------------------------
# A row is named at signal time as (kind, id); after commit the kinds that need a lookup are
# resolved against the committed rows (a cluster's schools are written after its vacancy).


def _vacancy_schools(ids: set) -> set[int]:
    from apps.vacancies.models import Vacancy, VacancySchool

    return set(Vacancy.objects.filter(pk__in=ids).values_list("school_id", flat=True)) | set(
        VacancySchool.objects.filter(vacancy_id__in=ids).values_list("school_id", flat=True)
    )


def _application_schools(ids: set) -> set[int]:
    from apps.applications.models import Application

    vacancies = Application.objects.filter(pk__in=ids).values_list("vacancy_id", flat=True)
    return _vacancy_schools(set(vacancies))


def _employment_schools(ids: set) -> set[int]:
    from apps.employment.models import Employment, EmploymentSchool

    return set(Employment.objects.filter(pk__in=ids).values_list("school_id", flat=True)) | set(
        EmploymentSchool.objects.filter(employment_id__in=ids).values_list("school_id", flat=True)
    )


def _evaluation_schools(ids: set) -> set[int]:
    from apps.evaluations.models import Evaluation

    return set(Evaluation.objects.filter(pk__in=ids).values_list("school_id", flat=True))


def _credit_record_schools(ids: set) -> set[int]:
    from apps.credit.models import CreditRecord

    rows = CreditRecord.objects.filter(pk__in=ids, school__isnull=False)
    return set(rows.values_list("school_id", flat=True))


def _user_schools(ids: set) -> set[int]:
    from apps.schools.models import SchoolMembership

    rows = SchoolMembership.objects.filter(user_id__in=ids)
    return set(rows.values_list("school_id", flat=True))


_RESOLVE = {
    "vacancy": _vacancy_schools,
    "application": _application_schools,
    "employment": _employment_schools,
    "evaluation": _evaluation_schools,
    "creditrecord": _credit_record_schools,
    "user": _user_schools,
}


class _PendingSchools:
    """The rows named in one transaction: retired together by the first callback to run."""

    def __init__(self) -> None:
        self.rows: set[tuple[str, Any]] = set()
        self.retired = False

    def retire(self) -> None:
        if not self.retired:
            self.retired = True
            versions_bump(_version_keys(self.rows))


def schools_changed(rows: Iterable[tuple[str, Any]]) -> None:
    """Retire the figures of the schools these rows concern once the transaction commits.

    A row is ("school", school id), ("all", None) or (kind, id) for a kind in _RESOLVE. The
    schools are looked up after commit, from the committed rows: all the rows a transaction
    named at once (closing a vacancy turns down each of its applications), not one by one.
    """
    rows = {(kind, pk) for kind, pk in rows if pk is not None or kind == "all"}
    if not rows:
        return
    pending = _pending_schools(transaction.get_connection())
    pending.rows |= rows
    # A callback per call, so a rolled-back savepoint never takes another call's rows with it;
    # the first to run retires the whole batch and the others find nothing left.
    transaction.on_commit(pending.retire)


def _pending_schools(connection: Any) -> _PendingSchools:
    if connection.in_atomic_block:
        # Django keeps the transaction's callbacks there and drops those of a rolled-back
        # savepoint or transaction: a batch found there belongs to this transaction.
        for _savepoints, callback, _robust in connection.run_on_commit:
            pending = getattr(callback, "__self__", None)
            if isinstance(pending, _PendingSchools) and not pending.retired:
                return pending
    return _PendingSchools()


def _version_keys(rows: set[tuple[str, Any]]) -> list[str]:
    keys = [ALL_SCHOOLS_VERSION_KEY] if any(kind == "all" for kind, _pk in rows) else []
    schools = {pk for kind, pk in rows if kind == "school"}
    for kind, resolve in _RESOLVE.items():
        ids = {pk for row_kind, pk in rows if row_kind == kind}
        if ids:
            schools |= resolve(ids)
    return keys + [SCHOOL_VERSION_KEY.format(school_id) for school_id in sorted(schools)]


# --- Receivers that only bump versions ------------------------------------------------------

# Lower-case model label → the rows one saved or deleted row of it concerns.
_SAVED = {
    "applications.application": lambda row: [("vacancy", row.vacancy_id)],
    "vacancies.vacancy": lambda row: [("school", row.school_id), ("vacancy", row.pk)],
    "vacancies.vacancyschool": lambda row: [("school", row.school_id)],
    "employment.employment": lambda row: [("school", row.school_id), ("employment", row.pk)],
    "employment.employmentschool": lambda row: [("school", row.school_id)],
    "evaluations.evaluation": lambda row: [("school", row.school_id)],
    # The school's evaluation list shows whether it answered the survey.
    "evaluations.surveyresponse": lambda row: [("evaluation", row.evaluation_id)],
    "credit.creditrecord": lambda row: [("school", row.school_id)],
    "schools.schoolmembership": lambda row: [("school", row.school_id)],
    "schools.partnerschool": lambda row: [("school", row.school_id)],
    # Group listings name other schools; a round opens evaluations for every school.
    "schools.school": lambda row: [("all", None)],
    "schools.schoolgroup": lambda row: [("all", None)],
    "schools.schoolgroupmember": lambda row: [("all", None)],
    "evaluations.evaluationround": lambda row: [("all", None)],
}
# Lower-case model label → the kind its audited status moves are resolved as.
_AUDITED = {
    "applications.application": "application",
    "vacancies.vacancy": "vacancy",
    "employment.employment": "employment",
    "evaluations.evaluation": "evaluation",  # reopened by the center
    "credit.creditrecord": "creditrecord",
    "schools.school": "all",
    "evaluations.evaluationround": "all",  # a round topped up adds evaluations in bulk
}


def _row_changed(row: Any, pk: Any, happened: str, *, label: str) -> None:
    if row is not None:  # saved or deleted, the row in hand
        schools_changed(_SAVED[label](row))
    elif _AUDITED.get(label) == "all":
        schools_changed([("all", None)])
    elif label in _AUDITED:  # a status moved by a conditional update: only its pk is known
        schools_changed([(_AUDITED[label], pk)])


def _user_saved(sender: Any, instance: Any, update_fields=None, **kwargs: Any) -> None:
    from apps.accounts.models import Role

    # The staff card shows a colleague's name and e-mail (signing in only stamps last_login).
    if instance.role != Role.SCHOOL_STAFF or (
        update_fields is not None and not {"full_name", "email"} & set(update_fields)
    ):
        return
    schools_changed([("user", instance.pk)])


def connect_receivers() -> None:
    """Bump the versions on every write of a row the figures read (DashboardsConfig.ready)."""
    for label in _SAVED:
        handler = partial(_row_changed, label=label)
        rows_watched(label, handler, audited=label in _AUDITED)
    post_save.connect(
        _user_saved, sender="accounts.user", weak=False, dispatch_uid="school-figures:user"
    )
