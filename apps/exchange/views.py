"""Staff pages of the data exchange: the data-quality list and the center's bulk exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.models import Role
from apps.accounts.permissions import center_staff_required, role_required
from apps.core.exports import attachment_response, stored_file_open
from apps.core.forms import add_service_errors
from apps.core.models import District
from apps.core.pagination import page_of, query_without_page
from apps.schools.models import School
from apps.schools.selectors import school_for_user

from .forms import ExportRequestForm, QualityFilterForm
from .models import ExportStatus
from .quality import RULE_LABELS, quality_counts_by_district, quality_issues
from .selectors import export_job_for_user, export_jobs_for_user
from .services import export_job_downloaded, export_job_request


@role_required(Role.SCHOOL_STAFF, Role.CENTER_STAFF)
def quality(request):
    """List the register's inconsistencies: the own school's, or the whole city's for the center."""
    counts, form = None, None
    if request.user.is_school_staff:
        school = school_for_user(request.user)
        if school is None:
            raise PermissionDenied
        issues = quality_issues(schools=School.objects.filter(pk=school.pk), now=timezone.now())
    else:
        districts = list(District.objects.all())
        form = QualityFilterForm(request.GET or None, districts=districts)
        issues = quality_issues(now=timezone.now())
        counts = quality_counts_by_district(issues)
        code = form.cleaned_data.get("district") if form.is_valid() else ""
        if code:
            issues = [issue for issue in issues if issue.school.district.code == code]
    rule_counts = [
        (label, sum(issue.rule == rule for issue in issues)) for rule, label in RULE_LABELS.items()
    ]
    return render(
        request,
        "exchange/quality.html",
        {
            "page": page_of(request, issues),
            "query": query_without_page(request),
            "total": len(issues),
            "rule_labels": RULE_LABELS,
            "rule_counts": rule_counts,
            "district_counts": counts,
            "form": form,
        },
    )


@center_staff_required
@require_http_methods(["GET", "POST"])
def exports(request):
    """Request a bulk export and list the center user's own exports with their downloads."""
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export_job_request(
                actor=request.user,
                dataset=form.cleaned_data["dataset"],
                format=form.cleaned_data["format"],
                updated_since=form.cleaned_data["updated_since"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The export is being prepared; it appears below."))
            return redirect("exchange:exports")
    jobs = export_jobs_for_user(user=request.user)
    return render(
        request,
        "exchange/exports.html",
        {"form": form, "page": page_of(request, jobs), "query": query_without_page(request)},
    )


@center_staff_required
def export_download(request, code, part):
    """Download one of the user's own finished exports (data or schema); audited."""
    job = export_job_for_user(user=request.user, code=code)
    if job.status != ExportStatus.DONE or part not in {"file", "schema"}:
        raise Http404
    field_file = job.file if part == "file" else job.schema_file
    handle = stored_file_open(field_file)
    export_job_downloaded(job=job, actor=request.user, part=part)
    return attachment_response(handle, filename=field_file.name.rsplit("/", 1)[-1])
