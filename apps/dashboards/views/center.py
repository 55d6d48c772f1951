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
from apps.schools.models import VerificationStatus
from apps.teachers import selectors as teacher_selectors
from apps.teachers.models import TeacherStatus
from apps.vacancies import selectors as vacancy_selectors
from apps.vacancies.models import VacancyStatus


def work_queues() -> list[dict]:
    """Each queue: a label, how many items wait and the filtered admin list that holds them.

    Later apps (teachers, vacancies) append their own entries here from their selectors.
    """
    teachers = teacher_selectors.review_queue_counts()
    evaluations = evaluation_selectors.center_queue_counts(today=timezone.localdate())
    teacher_admin = reverse("admin:teachers_teacher_changelist")
    return [
        {
            "key": "schools_pending",
            "label": gettext("Schools waiting for verification"),
            "count": school_selectors.schools_pending_verification_count(),
            "url": reverse("admin:schools_school_changelist")
            + f"?verification_status__exact={VerificationStatus.PENDING}",
        },
        {
            "key": "teachers_pending",
            "label": gettext("Teachers waiting for review"),
            "count": teachers["pending"],
            "url": f"{teacher_admin}?status__exact={TeacherStatus.PENDING}",
        },
        {
            "key": "teachers_duplicate",
            "label": gettext("Possible duplicate teacher accounts"),
            "count": teachers["duplicates"],
            "url": f"{teacher_admin}?duplicate=yes",
        },
        {
            "key": "teachers_deletion",
            "label": gettext("Account deletion requests"),
            "count": teachers["deletion_requests"],
            "url": f"{teacher_admin}?deletion=requested",
        },
        {
            "key": "vacancies_submitted",
            "label": gettext("Vacancies waiting for approval"),
            "count": vacancy_selectors.vacancies_waiting_for_approval_count(),
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
            "count": guidance_selectors.overdue_step_count_all(),
            "url": reverse("guidance:center_overdue"),
        },
        {
            "key": "evaluations_late",
            "label": gettext("Late quarterly evaluations"),
            "count": evaluations["late"],
            "url": reverse("evaluations:center_late"),
        },
        {
            "key": "evaluations_incidents",
            "label": gettext("Serious incidents in this year's evaluations"),
            "count": evaluations["incidents"],
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
