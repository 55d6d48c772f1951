"""Each role's landing page. The top layer: it may read every app, nothing imports it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.accounts.models import Role
from apps.accounts.permissions import (
    bureau_viewer_required,
    center_staff_required,
    school_staff_required,
    teacher_required,
)

ROLE_DASHBOARDS = {
    Role.TEACHER: "dashboards:teacher",
    Role.SCHOOL_STAFF: "dashboards:school",
    Role.CENTER_STAFF: "dashboards:center",
    Role.BUREAU_VIEWER: "dashboards:bureau",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(ROLE_DASHBOARDS[request.user.role])


@teacher_required
def teacher(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/teacher.html")


@school_staff_required
def school(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/school.html")


@center_staff_required
def center(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/center.html")


@bureau_viewer_required
def bureau(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/bureau.html")
