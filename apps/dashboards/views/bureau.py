from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.permissions import bureau_viewer_required


@bureau_viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/bureau.html")
