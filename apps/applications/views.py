from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import school_staff_required, teacher_required
from apps.accounts.zones import user_timezone
from apps.core.exports import csv_response
from apps.core.forms import add_service_errors, add_service_messages
from apps.credit.caching import recognition_version
from apps.dashboards.caching import FIGURES_SECONDS, school_cache_key
from apps.schools.selectors import school_for_user
from apps.vacancies.selectors import (
    PUBLIC_STATUSES,
    vacancy_get_for_school,
    vacancy_owned_by,
    vacancy_public_get,
)

from . import selectors, services
from .forms import ApplyForm, BulkRejectForm, InterviewForm, OfferForm, RankForm, RejectForm
from .models import InterviewSlot

# --- Teacher ------------------------------------------------------------------------------


@teacher_required
@require_POST
def apply(request: HttpRequest, code) -> HttpResponse:
    vacancy = vacancy_public_get(code=code)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        add_service_messages(request, ValidationError(list(form.errors.get("cover_letter", []))))
        return redirect(vacancy.get_absolute_url())
    try:
        application = services.application_apply(
            actor=request.user, vacancy=vacancy, cover_letter=form.cleaned_data["cover_letter"]
        )
    except ValidationError as error:
        add_service_messages(request, error)
        return redirect(vacancy.get_absolute_url())
    messages.success(request, _("Your application was sent to the school."))
    return redirect(application.get_absolute_url())


@teacher_required
def teacher_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.application_list_for_teacher(user=request.user)
    return render(request, "applications/teacher_list.html", {"applications": applications})


@teacher_required
def teacher_detail(request: HttpRequest, code) -> HttpResponse:
    application = selectors.application_get_for_teacher(user=request.user, code=code)
    context = {
        "application": application,
        "offer": getattr(application, "offer", None),
        "slots": list(application.interview_slots.all()),
        # The account's zone is the one source (preferences and profile both write it).
        "teacher_timezone": user_timezone(request.user),
        "events": application.events.all(),
    }
    return render(request, "applications/teacher_detail.html", context)


@teacher_required
def teacher_vacancy(request: HttpRequest, code) -> HttpResponse:
    application = selectors.application_with_vacancy_for_teacher(user=request.user, code=code)
    context = {
        "application": application,
        "vacancy": application.vacancy,
        "is_public": application.vacancy.status in PUBLIC_STATUSES,
    }
    return render(request, "applications/teacher_vacancy.html", context)


def _teacher_act(request: HttpRequest, code, action, success: str, **kwargs) -> HttpResponse:
    application = selectors.application_get_for_teacher(user=request.user, code=code)
    try:
        action(actor=request.user, application=application, **kwargs)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, success)
    return redirect(application.get_absolute_url())


@teacher_required
@require_POST
def withdraw(request: HttpRequest, code) -> HttpResponse:
    return _teacher_act(
        request, code, services.application_withdraw, _("Your application was withdrawn.")
    )


@teacher_required
@require_POST
def accept(request: HttpRequest, code) -> HttpResponse:
    return _teacher_act(
        request, code, services.offer_accept, _("You accepted the offer; the school confirms it.")
    )


@teacher_required
@require_POST
def decline(request: HttpRequest, code) -> HttpResponse:
    return _teacher_act(request, code, services.offer_decline, _("You declined the offer."))


@teacher_required
@require_POST
def choose_slot(request: HttpRequest, code, slot) -> HttpResponse:
    application = selectors.application_get_for_teacher(user=request.user, code=code)
    chosen = get_object_or_404(InterviewSlot, code=slot, application=application)
    try:
        services.interview_choose(actor=request.user, slot=chosen)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("Interview time chosen; the school was told."))
    return redirect(application.get_absolute_url())


def _rank(request: HttpRequest, application, back: str) -> HttpResponse:
    form = RankForm(request.POST)
    if form.is_valid():
        try:
            services.application_rank(
                actor=request.user, application=application, rank=form.cleaned_data["rank"]
            )
        except ValidationError as error:
            # A stale page can still offer ranking on an application closed meanwhile.
            add_service_messages(request, error)
        else:
            messages.success(request, _("Ranking saved."))
    else:
        messages.error(request, _("A rank is 1 or more."))
    return redirect(back)


@teacher_required
@require_POST
def teacher_rank(request: HttpRequest, code) -> HttpResponse:
    application = selectors.application_get_for_teacher(user=request.user, code=code)
    return _rank(request, application, "applications:teacher_list")


# --- School -------------------------------------------------------------------------------


@school_staff_required
def school_vacancies(request: HttpRequest) -> HttpResponse:
    school = school_for_user(request.user)
    context = {
        # Read only when the cached table misses.
        "vacancies": selectors.application_vacancies_for_school(user=request.user),
        # Its vacancies and their applications are among what the school's figures show; a
        # member without a school sees the same empty table as any other.
        "cache_key": school_cache_key(school) if school else "none",
        "cache_seconds": FIGURES_SECONDS,
    }
    return render(request, "applications/school_vacancies.html", context)


@school_staff_required
def applicants(request: HttpRequest, code) -> HttpResponse:
    vacancy = vacancy_get_for_school(user=request.user, code=code, details=False)
    is_owner = vacancy_owned_by(user=request.user, vacancy=vacancy)
    sort = request.GET.get("sort", "applied")
    if sort not in selectors.SORTS:
        sort = "applied"
    rows = selectors.applicants_for_vacancy(vacancy=vacancy, sort=sort)
    form = BulkRejectForm(request.POST or None, applications=rows)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                count = services.applications_reject_bulk(
                    actor=request.user,
                    applications=list(form.cleaned_data["applications"]),
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(count)s applicants were told.") % {"count": count})
                return redirect("applications:applicants", code=vacancy.code)
    # The blank page's rows change with the school's applications (what retires its figures)
    # and with the applicants' names and star levels (the recognition lists read both).
    stamp = f"{school_cache_key(school_for_user(request.user))}:{recognition_version()}"
    context = {
        "vacancy": vacancy,
        "applications": rows,
        "sort": sort,
        "form": form,
        "is_owner": is_owner,
        "cache_key": f"{stamp}:{vacancy.pk}:{sort}:{is_owner}",
        "cache_seconds": FIGURES_SECONDS,
    }
    return render(request, "applications/applicants.html", context)


@school_staff_required
def applicants_csv(request: HttpRequest, code) -> HttpResponse:
    vacancy = vacancy_get_for_school(user=request.user, code=code, details=False)
    rows = selectors.applicants_for_vacancy(vacancy=vacancy, sort=request.GET.get("sort", ""))

    def lines():
        yield [_("Teacher"), _("Nationality"), _("Status"), _("Applied"), _("School rank")]
        for application in rows.iterator(chunk_size=500):
            yield [
                application.teacher.legal_name,
                application.teacher.nationality.name,
                application.get_status_display(),
                timezone.localdate(application.created_at).isoformat(),
                application.school_rank or "",
            ]

    return csv_response("applicants", lines())


@school_staff_required
def school_detail(request: HttpRequest, code) -> HttpResponse:
    application = selectors.application_get_for_school(user=request.user, code=code)
    is_owner = selectors.school_may_act_on(user=request.user, application=application)
    return _school_page(request, application, is_owner=is_owner)


def _owned(request: HttpRequest, code):
    # Cluster members read; only the lead school acts (403 for a member).
    return selectors.application_get_for_school(user=request.user, code=code, owner_only=True)


def _back(application) -> HttpResponse:
    return redirect("applications:school_detail", code=application.code)


@school_staff_required
@require_POST
def shortlist(request: HttpRequest, code) -> HttpResponse:
    application = _owned(request, code)
    try:
        services.application_shortlist(actor=request.user, application=application)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(request, _("Shortlisted; the teacher was told."))
    return _back(application)


@school_staff_required
@require_POST
def reject(request: HttpRequest, code) -> HttpResponse:
    application = _owned(request, code)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.application_reject(
                actor=request.user,
                application=application,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_messages(request, error)
        else:
            messages.success(request, _("The teacher was told."))
    else:
        messages.error(request, _("Choose a reason."))
    return _back(application)


def _school_page(request, application, *, is_owner=True, status=200, **forms) -> HttpResponse:
    context = {
        "application": application,
        "profile": selectors.applicant_profile(user=request.user, application=application),
        "offer": getattr(application, "offer", None),
        "slots": list(application.interview_slots.all()),
        "events": application.events.all(),
        "is_owner": is_owner,
        "reject_form": RejectForm(),
        "interview_form": InterviewForm(),
        "offer_form": OfferForm.for_vacancy(application.vacancy),
        "rank_form": RankForm(initial={"rank": application.school_rank}),
    } | forms
    context["action_forms"] = [context["interview_form"], context["offer_form"]]
    return render(request, "applications/school_detail.html", context, status=status)


@school_staff_required
@require_POST
def interview(request: HttpRequest, code) -> HttpResponse:
    application = _owned(request, code)
    form = InterviewForm(request.POST)
    if form.is_valid():
        try:
            services.interview_propose(
                actor=request.user, application=application, slots=form.proposals()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Interview times sent to the teacher."))
            return _back(application)
    return _school_page(request, application, status=400, interview_form=form)


@school_staff_required
@require_POST
def offer(request: HttpRequest, code) -> HttpResponse:
    application = _owned(request, code)
    form = OfferForm.for_vacancy(application.vacancy, data=request.POST)
    if form.is_valid():
        try:
            services.offer_make(
                actor=request.user, application=application, terms=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Offer sent to the teacher."))
            return _back(application)
    return _school_page(request, application, status=400, offer_form=form)


@school_staff_required
@require_POST
def school_rank(request: HttpRequest, code) -> HttpResponse:
    application = _owned(request, code)
    return _rank(
        request, application, reverse("applications:school_detail", args=[application.code])
    )
