from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.accounts.permissions import (
    bureau_viewer_required,
    school_staff_required,
    teacher_required,
)
from apps.applications.selectors import application_get_for_school
from apps.core.exports import csv_response
from apps.core.forms import add_service_errors
from apps.core.pagination import page_of, query_without_page
from apps.schools.caching import bureau_list_context
from apps.schools.selectors import school_for_user, school_partner_list

from . import selectors, services
from .exports import employment_csv_rows
from .forms import AgreementForm, ChangeForm, ExchangeVisitForm, HireForm
from .models import EmploymentStatus
from .panels import employment_panels


def _owned_application(request: HttpRequest, code):
    # Cluster members read; only the lead school hires (403 for a member).
    return application_get_for_school(user=request.user, code=code, owner_only=True)


@school_staff_required
def hire(request: HttpRequest, code) -> HttpResponse:
    application = _owned_application(request, code)
    vacancy = application.vacancy
    form = HireForm(
        request.POST or None,
        initial={"hiring_channel": vacancy.hiring_channel, "payment_method": "salary"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            employment = services.employment_hire(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Hire confirmed: the teacher is in the register."))
            return redirect(employment.get_absolute_url())
    context = {
        "application": application,
        "offer": getattr(application, "offer", None),
        "form": form,
        "shares": list(vacancy.cluster_schools.select_related("school")),
    }
    return render(request, "employment/hire.html", context, status=400 if form.errors else 200)


@school_staff_required
def agreement_new(request: HttpRequest, code) -> HttpResponse:
    application = _owned_application(request, code)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.internship_agreement_submit(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Agreement sent to the service center for approval."))
            return redirect("applications:school_detail", code=application.code)
    return render(
        request, "employment/agreement_form.html", {"form": form, "application": application}
    )


@school_staff_required
def school_list(request: HttpRequest) -> HttpResponse:
    employments = selectors.employments_with_star_levels(
        selectors.employment_list_for_school(user=request.user)
    )
    return render(request, "employment/school_list.html", {"employments": employments})


@school_staff_required
def school_csv(request: HttpRequest) -> HttpResponse:
    return _csv(
        "employments", selectors.employment_list_for_school(user=request.user), with_permits=True
    )


def _csv(name: str, employments, *, with_permits: bool) -> HttpResponse:
    return csv_response(name, employment_csv_rows(employments, with_permits=with_permits))


@school_staff_required
def school_detail(request: HttpRequest, code) -> HttpResponse:
    employment = selectors.employment_get_for_school(user=request.user, code=code)
    (employment,) = selectors.employments_with_star_levels([employment])
    is_lead = selectors.employment_school_is_lead(user=request.user, employment=employment)
    form = ChangeForm(request.POST or None, request.FILES or None, cluster=employment.is_cluster)
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.employment_change_record(
                    actor=request.user,
                    employment=employment,
                    kind=form.cleaned_data["kind"],
                    effective_on=form.cleaned_data["effective_on"],
                    **form.service_values(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The change was recorded."))
                return redirect(employment.get_absolute_url())
    changes = list(employment.changes.select_related("recorded_by", "transfer_to"))
    state = selectors.employment_state(employment=employment, changes=changes)
    context = {
        "employment": employment,
        "state": state,
        "intern": selectors.intern_limits(employment=employment, state=state),
        "changes": changes,
        "form": form,
        "is_lead": is_lead,
        "active": employment.status == EmploymentStatus.ACTIVE,
        "panels": employment_panels(request, employment),
    }
    return render(
        request, "employment/school_detail.html", context, status=400 if form.errors else 200
    )


@teacher_required
def teacher_list(request: HttpRequest) -> HttpResponse:
    employments = selectors.employment_list_for_teacher(user=request.user)
    return render(request, "employment/teacher_list.html", {"employments": employments})


@bureau_viewer_required
def bureau_list(request: HttpRequest) -> HttpResponse:
    context = bureau_list_context(
        request,
        parts=("employments",),
        filterset=lambda: selectors.employment_filter_for_bureau(
            user=request.user, data=request.GET
        ),
    )
    return render(request, "employment/bureau_list.html", context)


@bureau_viewer_required
def bureau_csv(request: HttpRequest) -> HttpResponse:
    return _csv(
        "employments", selectors.employment_list_for_bureau(user=request.user), with_permits=False
    )


@bureau_viewer_required
def bureau_visits(request: HttpRequest) -> HttpResponse:
    filterset = selectors.exchange_visit_filter_for_bureau(user=request.user, data=request.GET)
    page = page_of(request, filterset.qs)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    return render(request, "employment/visit_list.html", context)


@school_staff_required
def visits(request: HttpRequest) -> HttpResponse:
    school = school_for_user(request.user)
    partners = school_partner_list(school=school)
    form = ExchangeVisitForm(request.POST or None, partner_schools=partners)
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_visit_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit was registered."))
            return redirect("employment:visits")
    context = {
        "visits": selectors.exchange_visits_for_school(user=request.user),
        "form": form,
        "has_partners": partners.exists(),
    }
    return render(request, "employment/visits.html", context, status=400 if form.errors else 200)
