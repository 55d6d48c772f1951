from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.permissions import school_staff_required
from apps.applications import selectors as application_selectors
from apps.credit.selectors import school_post_block
from apps.employment import selectors as employment_selectors
from apps.evaluations.selectors import evaluations as evaluation_selectors
from apps.guidance import selectors as guidance_selectors
from apps.schools import selectors as school_selectors


@school_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = school_selectors.membership_for_user(request.user)
    context = {"membership": membership}
    if membership is not None:
        school = membership.school
        post_block = school_post_block(school, on=timezone.localdate())
        context |= {
            "school": school,
            "can_post": post_block is None,
            "post_block": post_block,
            "staff": school_selectors.school_staff_list(school=school),
            "groups": school_selectors.school_groups_for_school(school=school),
            "partners": school_selectors.school_partner_list(school=school),
            "open_applicants": application_selectors.open_applicant_count_for_school(school=school),
            "active_employments": employment_selectors.employment_active_count(school=school),
            "evaluation_counts": evaluation_selectors.evaluation_counts_for_school(
                school=school, today=timezone.localdate()
            ),
            "overdue_steps": guidance_selectors.overdue_steps_for_school(user=request.user),
        }
    return render(request, "dashboards/school.html", context)
