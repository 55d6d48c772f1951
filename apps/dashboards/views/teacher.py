from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.permissions import teacher_required
from apps.applications import selectors as application_selectors
from apps.applications.models import ApplicationStatus
from apps.employment import selectors as employment_selectors
from apps.matching.caching import teacher_matching_build, teacher_pages_get
from apps.matching.compute import TEACHER_SHOWN
from apps.teachers import selectors as teacher_selectors
from apps.teachers.models import Teacher
from apps.teachers.services import teacher_profile_ensure
from apps.teachers.steps import PROFILE_STEPS


@dataclass(frozen=True)
class ApplicationLine:
    """One of the teacher's applications as the dashboard lists it (plain, cached)."""

    pk: int
    vacancy_id: int
    url: str
    title: str
    school: str
    status: str
    status_label: str

    def get_status_display(self) -> str:
        return self.status_label  # what the shared status badge reads


@dataclass(frozen=True)
class EmploymentLine:
    school: str
    contract_start: date
    contract_end: date | None
    status_label: str


@dataclass(frozen=True)
class TeacherRecords:
    """The teacher's applications and employments as the dashboard shows them (cached)."""

    statuses: dict[int, str]  # vacancy id → status of the application to it
    applications: list[ApplicationLine]  # the first few, in the list's order
    employments: list[EmploymentLine]


def _records(teacher: Teacher) -> TeacherRecords:
    # One read of the teacher's applications: the counts and the short list.
    overview = application_selectors.application_overview_for_teacher(teacher=teacher)
    employments = employment_selectors.employment_recent_for_teacher(teacher=teacher)
    return TeacherRecords(
        statuses=overview.statuses,
        applications=[
            ApplicationLine(
                a.pk,
                a.vacancy_id,
                a.get_absolute_url(),
                str(a.vacancy.title),
                str(a.vacancy.school),
                a.status,
                str(a.get_status_display()),
            )
            for a in overview.first
        ],
        employments=[
            EmploymentLine(str(e.school), e.contract_start, e.contract_end, e.get_status_display())
            for e in employments
        ],
    )


@teacher_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # Reading first keeps the everyday visit out of a write transaction.
    teacher = teacher_selectors.teacher_for_user(user=request.user) or teacher_profile_ensure(
        user=request.user
    )
    today = timezone.localdate()
    # Plain data, cached per teacher until one of its inputs changes (apps.matching.caching):
    # today's admission result, the suggestions (invitations first) and the teacher's records.
    cached = teacher_pages_get(
        teacher=teacher,
        on=today,
        parts={
            "records": lambda _before: _records(teacher),
            # The vacancies applied to are left out of the suggestions: the records hold them.
            "matching": lambda before: teacher_matching_build(
                teacher=teacher, on=today, applied=before["records"].statuses.keys()
            ),
        },
    )
    admission, records = cached["matching"].admission, cached["records"]
    counts = application_selectors.application_counts_for_teacher(
        user=request.user, teacher=teacher, statuses=records.statuses
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
        "applications": records.applications,
        "employments": records.employments,
        "suggested": cached["matching"].suggested(TEACHER_SHOWN),
    }
    return render(request, "dashboards/teacher.html", context)
