from datetime import date

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.permissions import center_staff_required
from apps.applications import selectors as application_selectors
from apps.employment import selectors as employment_selectors
from apps.employment.models import AgreementStatus
from apps.evaluations.selectors import evaluations as evaluation_selectors
from apps.guidance import selectors as guidance_selectors
from apps.matching import selectors as matching_selectors
from apps.schools import selectors as school_selectors
from apps.schools.caching import bureau_cache_key
from apps.schools.models import VerificationStatus
from apps.teachers import selectors as teacher_selectors
from apps.teachers.models import TeacherStatus
from apps.vacancies import selectors as vacancy_selectors
from apps.vacancies.models import VacancyStatus

# A second safety net behind the versions (see _row_counts).
QUEUE_COUNTS_SECONDS = 5 * 60


def _row_counts(today: date) -> dict[str, int]:
    """Return the queues counted over many rows (a few ms), cached until one of them changes.

    Keyed by the versions of the bureau parts that hold those rows (apps/schools/caching.py:
    schools, vacancies, evaluations with their rounds, and teachers in "employments") and by
    the day, since "late" depends on it. The other queues are read live: cheap indexed counts,
    a count cached by its own app, and rows changed by bulk updates no version follows.
    """
    parts = ("schools", "vacancies", "evaluations", "employments")
    versions = bureau_cache_key(user=None, parts=parts)
    key = f"dashboards:center-queues:{today.isoformat()}:{versions}"
    counts = cache.get(key)
    if counts is None:
        teachers = teacher_selectors.review_queue_counts()
        evaluations = evaluation_selectors.center_queue_counts(today=today)
        counts = {
            "schools_pending": school_selectors.schools_pending_verification_count(),
            "teachers_pending": teachers["pending"],
            "teachers_deletion": teachers["deletion_requests"],
            "vacancies_submitted": vacancy_selectors.vacancies_waiting_for_approval_count(),
            "evaluations_late": evaluations["late"],
            "evaluations_incidents": evaluations["incidents"],
        }
        cache.set(key, counts, QUEUE_COUNTS_SECONDS)
    return counts


def work_queues() -> list[dict]:
    """Each queue: a label, how many items wait and the filtered admin list that holds them.

    Later apps (teachers, vacancies) append their own entries here from their selectors.
    """
    counts = _row_counts(timezone.localdate())
    teacher_admin = reverse("admin:teachers_teacher_changelist")
    return [
        {
            "key": "schools_pending",
            "label": gettext("Schools waiting for verification"),
            "count": counts["schools_pending"],
            "url": reverse("admin:schools_school_changelist")
            + f"?verification_status__exact={VerificationStatus.PENDING}",
        },
        {
            "key": "teachers_pending",
            "label": gettext("Teachers waiting for review"),
            "count": counts["teachers_pending"],
            "url": f"{teacher_admin}?status__exact={TeacherStatus.PENDING}",
        },
        {
            "key": "teachers_duplicate",
            "label": gettext("Possible duplicate teacher accounts"),
            "count": teacher_selectors.teachers_duplicate_count(),
            "url": f"{teacher_admin}?duplicate=yes",
        },
        {
            "key": "teachers_deletion",
            "label": gettext("Account deletion requests"),
            "count": counts["teachers_deletion"],
            "url": f"{teacher_admin}?deletion=requested",
        },
        {
            "key": "vacancies_submitted",
            "label": gettext("Vacancies waiting for approval"),
            "count": counts["vacancies_submitted"],
            "url": reverse("admin:vacancies_vacancy_changelist")
            + f"?status__exact={VacancyStatus.SUBMITTED}",
        },
        {
            "key": "applications_idle",
            "label": gettext("Idle applications the school has not answered"),
            "count": application_selectors.applications_idle_count(),
            "url": reverse("admin:applications_application_changelist") + "?idle=1",
        },
        {
            "key": "agreements_submitted",
            "label": gettext("Internship agreements waiting for approval"),
            "count": employment_selectors.internship_agreements_waiting_count(),
            "url": reverse("admin:employment_internshipagreement_changelist")
            + f"?status__exact={AgreementStatus.SUBMITTED}",
        },
        {
            "key": "guidance_overdue",
            "label": gettext("Overdue procedure steps of hires"),
            "count": guidance_selectors.overdue_summary_all().count,
            "url": reverse("guidance:center_overdue"),
        },
        {
            "key": "evaluations_late",
            "label": gettext("Late quarterly evaluations"),
            "count": counts["evaluations_late"],
            "url": reverse("evaluations:center_late"),
        },
        {
            "key": "evaluations_incidents",
            "label": gettext("Serious incidents in this year's evaluations"),
            "count": counts["evaluations_incidents"],
            "url": reverse("admin:evaluations_evaluation_changelist")
            + "?serious_incident__exact=1",
        },
    ]


@center_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "queues": work_queues(),
        "runs": matching_selectors.match_runs_recent(user=request.user),
    }
    return render(request, "dashboards/center.html", context)
