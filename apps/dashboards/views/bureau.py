from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.permissions import bureau_viewer_required
from apps.schools import selectors as school_selectors


@bureau_viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "jurisdiction": school_selectors.bureau_membership_for_user(request.user),
        "counts": school_selectors.bureau_counts(request.user),
    }
    return render(request, "dashboards/bureau.html", context)
