"""Reads for applications; who may see which application is decided here, once."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.admission.selectors import AdmissionResult, evaluate_admission
from apps.schools.models import School
from apps.schools.selectors import school_for_user
from apps.teachers.models import Document, DocumentKind, Teacher
from apps.teachers.selectors import LIVE_DOCUMENT_STATUSES, document_can_view, teacher_for_user
from apps.vacancies.models import Vacancy, VacancySchool
from apps.vacancies.selectors import school_vacancy_ids, vacancy_owned_by

from .models import OPEN_STATUSES, WAITING_ON_SCHOOL_STATUSES, Application, ApplicationStatus

S = ApplicationStatus
# DESIGN "Who sees documents": what a school sees once a teacher applies to it. Identity and
# health scans wait for the hire (the employment app grants those).
KINDS_AFTER_APPLICATION = frozenset(
    {
        DocumentKind.DEGREE,
        DocumentKind.TEACHING_CERTIFICATE,
        DocumentKind.CV,
        DocumentKind.REFERENCE,
        DocumentKind.PHOTO,
    }
)
KINDS_AFTER_HIRE = frozenset(
    {DocumentKind.PASSPORT, DocumentKind.CRIMINAL_RECORD, DocumentKind.HEALTH_CHECK}
)
# From shortlisting on, the school may contact the teacher directly.
CONTACT_STATUSES = frozenset({S.SHORTLISTED, S.INTERVIEW, S.OFFERED, S.ACCEPTED, S.HIRED})
SORTS = {
    "applied": ("-created_at", "-id"),
    "name": ("teacher__legal_name", "id"),
    "status": ("status", "-created_at"),
    "rank": ("school_rank", "-created_at"),
}


def _school_vacancy_q(school: Any, prefix: str = "vacancy__") -> Q:
    return Q(**{f"{prefix}school": school}) | Q(**{f"{prefix}cluster_schools__school": school})


def school_may_see_application_document(user: Any, document: Document) -> bool:
    """Document rule: a school sees an applicant's degree, certificates, CV and references."""
    if not user.is_school_staff or document.kind not in KINDS_AFTER_APPLICATION:
        return False
    school = school_for_user(user)
    if school is None:
        return False
    # Only while the application is in play: a rejected, declined or withdrawn applicant's
    # papers are not the school's business any more (a hire is covered by the employment rule).
    return (
        Application.objects.filter(teacher_id=document.teacher_id, status__in=OPEN_STATUSES)
        .filter(_school_vacancy_q(school))
        .exists()
    )


def _with_details(applications: QuerySet[Application]) -> QuerySet[Application]:
    # The teacher's star level (credit) rides along: schools see it beside each applicant.
    return applications.select_related(
        "vacancy", "vacancy__school", "teacher", "teacher__user", "teacher__star_level", "offer"
    )


def applications_accepted() -> QuerySet[Application]:
    """Return the accepted applications (each commits its teacher: see admission.availability)."""
    return Application.objects.filter(status=S.ACCEPTED)


def application_list_for_teacher(
    *, user: Any, teacher: Teacher | None = None
) -> QuerySet[Application]:
    """Return the signed-in teacher's own applications, their ranking first.

    ``teacher``: the user's own profile when the page already holds it (saves a query).
    """
    teacher = teacher or teacher_for_user(user=user)
    if teacher is None:
        return Application.objects.none()
    return _with_details(Application.objects.filter(teacher=teacher)).order_by(
        "teacher_rank", "-created_at", "-id"
    )


@dataclass(frozen=True)
class TeacherApplications:
    """The teacher's applications as the dashboard reads them."""

    statuses: dict[int, str]  # vacancy id → status of the application to it
    first: list[Application]  # the first few in the list's order, with vacancy and school


def application_overview_for_teacher(*, teacher: Teacher, first: int = 5) -> TeacherApplications:
    """Return every application's status and the first few applications (one query)."""
    # A teacher holds a handful of applications: one read serves the counts, the suggestions
    # to leave out and the short list.
    applications = list(
        Application.objects.filter(teacher=teacher)
        .select_related("vacancy__school")
        .order_by("teacher_rank", "-created_at", "-id")
    )
    return TeacherApplications(
        statuses={application.vacancy_id: application.status for application in applications},
        first=applications[:first],
    )


def application_get_for_teacher(*, user: Any, code: Any) -> Application:
    """Return one of the teacher's own applications; 404 for anyone else's."""
    application = (
        _with_details(Application.objects.filter(code=code, teacher__user=user))
        .prefetch_related("interview_slots", "events__actor")
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_with_vacancy_for_teacher(*, user: Any, code: Any) -> Application:
    """Return one of the teacher's own applications with its vacancy's details, whatever the
    vacancy's status now (filled, closed, expired): the applicant keeps a read-only view of the
    post they applied to. Anyone else gets 404, as the public page gives for such a vacancy."""
    application = (
        Application.objects.filter(code=code, teacher__user=user)
        .select_related("vacancy__school__district", "vacancy__cluster")
        .prefetch_related(
            "vacancy__subjects",
            "vacancy__levels",
            Prefetch(
                "vacancy__cluster_schools",
                queryset=VacancySchool.objects.select_related("school").order_by("id"),
            ),
        )
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_for_vacancy_page(*, teacher: Teacher | None, vacancy: Vacancy):
    """Return the teacher's application to this vacancy, if any (for the Apply box)."""
    if teacher is None:
        return None
    return Application.objects.filter(teacher=teacher, vacancy=vacancy).first()


def applicants_for_vacancy(*, vacancy: Vacancy, sort: str = "applied") -> QuerySet[Application]:
    """Return a vacancy's applicants in the chosen order (the vacancy is already access-checked).

    With each row only what the list and its CSV show (teacher, star level): no cover letters
    or encrypted profile fields; acting on one re-reads it.
    """
    return (
        Application.objects.filter(vacancy=vacancy)
        # teacher__user: a teacher without a legal name yet is shown by their email.
        .select_related("teacher__user", "teacher__star_level")
        .only(
            "code",
            "vacancy_id",
            "status",
            "school_rank",
            "created_at",
            "teacher__code",
            "teacher__legal_name",
            "teacher__nationality",
            "teacher__user__email",
            "teacher__star_level__level",
        )
        .order_by(*SORTS.get(sort, SORTS["applied"]))
    )


def school_may_act_on(*, user: Any, application: Application) -> bool:
    """Access rule: only the vacancy's lead school acts on an applicant; cluster members read."""
    return vacancy_owned_by(user=user, vacancy=application.vacancy)


def application_get_for_school(*, user: Any, code: Any, owner_only: bool = False) -> Application:
    """Return an applicant of the user's school (lead, or cluster member read-only); else 404.

    With `owner_only` (the user is about to act) a cluster member gets PermissionDenied.
    """
    school = school_for_user(user)
    if school is None:
        raise Http404
    application = (
        _with_details(Application.objects.filter(_school_vacancy_q(school), code=code))
        .prefetch_related("interview_slots", "events__actor")
        .distinct()
        .first()
    )
    if application is None:
        raise Http404
    if owner_only and not school_may_act_on(user=user, application=application):
        raise PermissionDenied
    return application


def application_vacancies_for_school(*, user: Any) -> QuerySet[Vacancy]:
    """Return the school's vacancies with applicant counts (open and total)."""
    school = school_for_user(user)
    if school is None:
        return Vacancy.objects.none()
    open_q = Q(applications__status__in=WAITING_ON_SCHOOL_STATUSES)
    return (
        Vacancy.objects.filter(pk__in=school_vacancy_ids(school))
        .select_related("school")
        # What the vacancy table shows, not the descriptions and terms.
        .only(
            "code",
            "title",
            "cluster_id",
            "status",
            "contract_start",
            "posts",
            "filled_posts",
            "published_at",
            "created_at",
            "school__name",
        )
        .annotate(
            applicant_count=Count("applications", distinct=True),
            open_count=Count("applications", filter=open_q, distinct=True),
        )
        .order_by("-published_at", "-created_at")
    )


@dataclass(frozen=True)
class ApplicantProfile:
    """What a school sees about one applicant at the application's current stage."""

    teacher: Teacher
    admission: AdmissionResult
    documents: list[Document]
    experiences: list
    certificates: list
    contact_email: str | None


def applicant_profile(*, user: Any, application: Application) -> ApplicantProfile:
    """Build the applicant screen: profile, experience, admission result, visible documents."""
    teacher = (
        Teacher.objects.select_related("user")
        .prefetch_related("subjects", "levels", "native_languages", "experiences", "certificates")
        .get(pk=application.teacher_id)
    )
    candidates = Document.objects.filter(
        teacher=teacher,
        kind__in=KINDS_AFTER_APPLICATION | KINDS_AFTER_HIRE,
        status__in=LIVE_DOCUMENT_STATUSES,
    ).order_by("kind", "-uploaded_at")
    # The download decides access; list only what it would serve, so no link leads to a 404.
    documents = []
    for document in candidates:
        document.teacher = teacher
        if document_can_view(user=user, document=document):
            documents.append(document)
    admission = evaluate_admission(
        [teacher],
        on=timezone.localdate(),
        passport_valid_until=application.vacancy.contract_start,
        vacancy_id=application.vacancy_id,
    )[teacher.pk]
    contact = (
        teacher.user.email
        if teacher.user is not None and application.status in CONTACT_STATUSES
        else None
    )
    return ApplicantProfile(
        teacher=teacher,
        admission=admission,
        documents=documents,
        experiences=list(teacher.experiences.all()),
        certificates=list(teacher.certificates.all()),
        contact_email=contact,
    )


def application_counts_for_teacher(
    *, user: Any, teacher: Teacher | None = None, statuses: Mapping[int, str] | None = None
) -> dict[str, int]:
    """Count the teacher's applications by status (teacher dashboard).

    ``statuses``: the statuses of application_overview_for_teacher when the page holds them.
    """
    if statuses is not None:
        return dict(Counter(statuses.values()))
    rows = application_list_for_teacher(user=user, teacher=teacher).order_by().values("status")
    return {row["status"]: row["n"] for row in rows.annotate(n=Count("id"))}


def open_applicant_count_for_school(*, school: School) -> int:
    """Count applications waiting for the school's answer, as its applicants page sums them."""
    return Application.objects.filter(
        vacancy__in=school_vacancy_ids(school), status__in=WAITING_ON_SCHOOL_STATUSES
    ).count()


def applications_idle_count() -> int:
    """Count applications the center was nudged about that are still waiting (center dashboard)."""
    return Application.objects.filter(
        status__in=WAITING_ON_SCHOOL_STATUSES, center_nudged_at__isnull=False
    ).count()
