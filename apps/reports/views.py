from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.core.exports import attachment_response
from apps.core.forms import add_service_messages

from . import selectors, services

report_users = role_required(Role.BUREAU_VIEWER, Role.CENTER_STAFF)


def statistics_page(user) -> str:
    """The URL name of the user's statistics page (bureau dashboard, or the center's)."""
    return "dashboards:statistics" if user.role == Role.CENTER_STAFF else "dashboards:bureau"


def _build_or_404(request: HttpRequest, code) -> object:
    build = selectors.report_build_for_user(user=request.user, code=code)
    if build is None:
        raise Http404
    return build


@report_users
@require_POST
def request_report(request: HttpRequest) -> HttpResponse:
    """Queue (or find) the annual report for the year and district on the dashboard."""
    district = request.POST.get("district", "")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    try:
        build, _created = services.report_request(
            actor=request.user,
            year=year,
            district_code=district,
            language=request.LANGUAGE_CODE,
        )
    except ValidationError as error:
        add_service_messages(request, error)
        back = reverse(statistics_page(request.user)) + "?" + urlencode({"district": district})
        return redirect(back)
    if request.headers.get("HX-Request"):
        return render(request, "reports/_build_status.html", {"build": build})
    return redirect("reports:build", code=build.code)


@report_users
def build_detail(request: HttpRequest, code) -> HttpResponse:
    """Show a build's progress (htmx polls the fragment until it is ready or failed)."""
    build = _build_or_404(request, code)
    if request.headers.get("HX-Request"):
        return render(request, "reports/_build_status.html", {"build": build})
    context = {"build": build, "back": statistics_page(request.user)}
    return render(request, "reports/build_detail.html", context)


@report_users
def download(request: HttpRequest, code, kind: str) -> HttpResponse:
    """Download a ready report's XLSX or PDF (users of its jurisdiction only; audited)."""
    build = _build_or_404(request, code)
    try:
        handle = services.report_download(user=request.user, build=build, kind=kind)
    except ValidationError as error:
        raise Http404 from error
    except PermissionDenied:
        raise
    place = build.district.code if build.district_id else "city"
    return attachment_response(handle, filename=f"annual-report-{build.year}-{place}.{kind}")
