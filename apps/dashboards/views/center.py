from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.permissions import center_staff_required


@center_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/center.html")
