from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.permissions import teacher_required


@teacher_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/teacher.html")
