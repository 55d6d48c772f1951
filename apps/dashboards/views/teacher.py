from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.permissions import teacher_required
from apps.admission.selectors import admission_for_teacher
from apps.applications import selectors as application_selectors
from apps.applications.models import ApplicationStatus
from apps.employment import selectors as employment_selectors
from apps.matching import selectors as matching_selectors
from apps.teachers import selectors as teacher_selectors
from apps.teachers.services import teacher_profile_ensure
from apps.teachers.steps import PROFILE_STEPS


@teacher_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # Reading first keeps the everyday visit out of a write transaction.
    teacher = teacher_selectors.teacher_for_user(user=request.user) or teacher_profile_ensure(
        user=request.user
    )
    admission = admission_for_teacher(teacher, on=timezone.localdate())
    # One read of the teacher's applications: the counts, the list, the suggestions left out.
    overview = application_selectors.application_overview_for_teacher(teacher=teacher)
    # Invitations come first: the selector orders them so. It reuses today's admission result.
    suggested = matching_selectors.teacher_suggested_vacancies(
        user=request.user, teacher=teacher, admission=admission, applied=overview.statuses.keys()
    )
    counts = application_selectors.application_counts_for_teacher(
        user=request.user, teacher=teacher, statuses=overview.statuses
    )
    context = {
        "teacher": teacher,
        "steps": PROFILE_STEPS,
        "completeness": teacher_selectors.teacher_completeness(
            teacher=teacher, document_kinds=admission.live_document_kinds
        ),
        "admission": admission,
        "application_counts": counts,
        # In pipeline order, with the status names the teacher reads elsewhere.
        "application_summary": [
            (status.label, counts[status]) for status in ApplicationStatus if status in counts
        ],
        "applications": overview.first,
        "employments": employment_selectors.employment_recent_for_teacher(teacher=teacher),
        "suggested": suggested,
    }
    return render(request, "dashboards/teacher.html", context)
