from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.permissions import school_staff_required
from apps.schools import selectors as school_selectors

from ..caching import school_dashboard_figures, school_overdue_steps


@school_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = school_selectors.membership_for_user(request.user)
    context = {"membership": membership}
    if membership is not None:
        school = membership.school
        figures = school_dashboard_figures(school=school, today=timezone.localdate())
        context |= {
            "school": school,
            "district": figures.district,
            "school_type": figures.school_type,
            "can_post": figures.post_block is None,
            "post_block": figures.post_block,
            "staff": figures.staff,
            "groups": figures.groups,
            "partners": figures.partners,
            "open_applicants": figures.open_applicants,
            "active_employments": figures.active_employments,
            "evaluation_counts": figures.evaluation_counts,
            # Only active hires have open steps.
            "overdue_steps": (
                school_overdue_steps(user=request.user, school=school)
                if figures.active_employments
                else []
            ),
        }
    return render(request, "dashboards/school.html", context)
