"""Credit pages: a teacher's or school's own records and stars, bureau counts, center lists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.accounts.permissions import (
    bureau_viewer_required,
    role_required,
    school_staff_required,
    teacher_required,
)
from apps.core.exports import attachment_response
from apps.core.forms import add_service_errors
from apps.schools.selectors import bureau_membership_for_user
from apps.teachers.selectors import teacher_for_user

from . import selectors, services
from .forms import ObjectionForm, RepairForm
from .models import RecordStatus, RepairStatus, Severity

owner_required = role_required(Role.TEACHER, Role.SCHOOL_STAFF)


@teacher_required
def teacher_home(request: HttpRequest) -> HttpResponse:
    """Show the teacher's star level with its explanation, star history and own records."""
    teacher = teacher_for_user(user=request.user)
    context = {
        "records": selectors.teacher_records(user=request.user),
        "star": selectors.teacher_star_level_get(teacher) if teacher else None,
        "history": selectors.teacher_star_history(teacher)[:40] if teacher else [],
    }
    return render(request, "credit/teacher_home.html", context)


@school_staff_required
def school_home(request: HttpRequest) -> HttpResponse:
    """Show the school's own credit records."""
    return render(
        request, "credit/school_home.html", {"records": selectors.school_records(user=request.user)}
    )


def _repair_open(record) -> bool:
    return (
        record.status == RecordStatus.ACTIVE
        and record.is_negative
        and record.severity != Severity.SERIOUS
        and not any(r.status == RepairStatus.PENDING for r in record.repair_requests.all())
    )


@owner_required
def record_detail(request: HttpRequest, code) -> HttpResponse:
    """Show one own record; object to it or ask to repair it from here."""
    record = selectors.record_for_owner(user=request.user, code=code)
    if record is None:
        raise Http404
    objection_form = ObjectionForm(prefix="objection")
    repair_form = RepairForm(prefix="repair")
    if request.method == "POST":
        if "objection-statement" in request.POST:
            objection_form = ObjectionForm(request.POST, request.FILES, prefix="objection")
            if objection_form.is_valid():
                try:
                    services.objection_submit(
                        actor=request.user,
                        record=record,
                        statement=objection_form.cleaned_data["statement"],
                        files=objection_form.cleaned_data["files"],
                    )
                except ValidationError as exc:
                    add_service_errors(objection_form, exc)
                else:
                    messages.success(request, _("Your objection has been submitted."))
                    return redirect("credit:record", code=record.code)
        else:
            repair_form = RepairForm(request.POST, request.FILES, prefix="repair")
            if repair_form.is_valid():
                try:
                    services.repair_request_submit(
                        actor=request.user,
                        record=record,
                        commitment=repair_form.cleaned_data["commitment"],
                        letter=repair_form.cleaned_data["letter"],
                    )
                except ValidationError as exc:
                    add_service_errors(repair_form, exc)
                else:
                    messages.success(request, _("Your repair request has been submitted."))
                    return redirect("credit:record", code=record.code)
    today = timezone.localdate()
    context = {
        "record": record,
        "objection": getattr(record, "objection", None),
        "can_object": record.status == RecordStatus.NOTIFIED
        and record.objection_deadline is not None
        and today <= record.objection_deadline,
        "can_repair": _repair_open(record),
        "repairable_from": selectors.record_repairable_from(record) if record.severity else None,
        "objection_form": objection_form,
        "repair_form": repair_form,
    }
    return render(request, "credit/record_detail.html", context)


def file_download(request: HttpRequest, code) -> HttpResponse:
    """Send a record's file to the center or the record's person (404 otherwise); audited."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    credit_file = selectors.credit_file_for_user(user=request.user, code=code)
    if credit_file is None or not credit_file.file.storage.exists(credit_file.file.name):
        raise Http404
    services.credit_file_open(actor=request.user, credit_file=credit_file)
    response = attachment_response(
        credit_file.file,
        filename=f"{credit_file.purpose}-{credit_file.code}{credit_file.file.name[-4:]}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@bureau_viewer_required
def bureau_counts(request: HttpRequest) -> HttpResponse:
    """Show bureau viewers the number of records in force (counts only, never names)."""
    membership = bureau_membership_for_user(request.user)
    if membership is None:
        raise PermissionDenied  # a viewer without a jurisdiction sees nothing
    district = membership.district
    context = {
        "counts": selectors.credit_counts(district=district, on=timezone.localdate()),
        "district": district,
    }
    return render(request, "credit/bureau_counts.html", context)
