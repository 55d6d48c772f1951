from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.permissions import school_staff_required


@school_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/school.html")
