from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import (
    bureau_viewer_required,
    school_staff_required,
    teacher_required,
)
from apps.core.exports import csv_response
from apps.core.forms import add_service_errors, add_service_messages
from apps.core.pagination import page_of, query_without_page
from apps.credit.selectors import school_post_block
from apps.schools.caching import bureau_list_context
from apps.schools.selectors import school_for_user
from apps.teachers.selectors import teacher_for_user

from . import selectors, services
from .caching import search_cache_versions
from .forms import SavedSearchForm, VacancyForm
from .models import VacancyStatus


@school_staff_required
def school_list(request: HttpRequest) -> HttpResponse:
    school = school_for_user(request.user)
    vacancies = selectors.vacancy_list_for_school(user=request.user)
    context = {
        "school": school,
        "post_block": school_post_block(school, on=timezone.localdate()),
        "page": page_of(request, vacancies),
    }
    return render(request, "vacancies/school_list.html", context)


def _save(request: HttpRequest, vacancy=None) -> HttpResponse:
    school = school_for_user(request.user)
    clusters = selectors.clusters_led_by(school=school)
    form = VacancyForm(request.POST or None, instance=vacancy, clusters=clusters)
    if request.method == "POST" and form.is_valid():
        arguments = {
            "actor": request.user,
            "values": form.service_values(),
            "subjects": form.cleaned_data["subjects"],
            "levels": form.cleaned_data["levels"],
            "cluster": form.cleaned_data.get("cluster"),
            "shares": form.cluster_shares(),
        }
        try:
            if vacancy is None:
                saved = services.vacancy_create(school=school, **arguments)
            else:
                saved = services.vacancy_update(vacancy=vacancy, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The vacancy was saved."))
            return redirect("vacancies:school_detail", code=saved.code)
    return render(
        request,
        "vacancies/school_form.html",
        {"form": form, "vacancy": vacancy, "school": school},
    )


@school_staff_required
def create(request: HttpRequest) -> HttpResponse:
    return _save(request)


@school_staff_required
def edit(request: HttpRequest, code) -> HttpResponse:
    vacancy = selectors.vacancy_get_for_school(user=request.user, code=code, owner_only=True)
    return _save(request, vacancy)


@school_staff_required
def school_detail(request: HttpRequest, code) -> HttpResponse:
    vacancy = selectors.vacancy_get_for_school(user=request.user, code=code)
    school = school_for_user(request.user)
    context = {
        "vacancy": vacancy,
        "is_owner": vacancy.school_id == school.pk,
        "events": vacancy.events.select_related("actor")[:20],
        "statuses": VacancyStatus,
    }
    return render(request, "vacancies/school_detail.html", context)


def _act(request: HttpRequest, code, action, success: str) -> HttpResponse:
    vacancy = selectors.vacancy_get_for_school(user=request.user, code=code, owner_only=True)
    try:
        result = action(actor=request.user, vacancy=vacancy)
    except ValidationError as error:
        add_service_messages(request, error)
        return redirect("vacancies:school_detail", code=vacancy.code)
    messages.success(request, success)
    return redirect("vacancies:school_detail", code=result.code)


@school_staff_required
@require_POST
def submit(request: HttpRequest, code) -> HttpResponse:
    return _act(
        request, code, services.vacancy_submit, _("Sent to the service center for approval.")
    )


@school_staff_required
@require_POST
def withdraw(request: HttpRequest, code) -> HttpResponse:
    return _act(request, code, services.vacancy_withdraw, _("The vacancy is a draft again."))


@school_staff_required
@require_POST
def close(request: HttpRequest, code) -> HttpResponse:
    return _act(request, code, services.vacancy_close, _("The vacancy was closed."))


@school_staff_required
@require_POST
def copy(request: HttpRequest, code) -> HttpResponse:
    return _act(
        request, code, services.vacancy_copy, _("A draft copy was created: check the dates.")
    )


def _teacher_profile(request: HttpRequest):
    user = request.user
    return teacher_for_user(user=user) if user.is_authenticated and user.is_teacher else None


def search(request: HttpRequest) -> HttpResponse:
    # Built only when a part of the page is not cached (a hit renders no form, runs no query).
    results = SimpleLazyObject(lambda: selectors.vacancy_public_search(params=request.GET))
    teacher = _teacher_profile(request)
    only_qualifying = teacher is not None and request.GET.get("qualify") == "1"
    version = search_cache_versions()
    query = query_without_page(request)

    def results_page():
        # The teacher's own "qualify" narrowing is counted and drawn live; every other search
        # is the same for everyone who asks it, so its count and its rendered results are
        # cached, and on a cache hit the query is never built.
        if only_qualifying:
            vacancies = selectors.vacancies_qualifying(
                teacher=teacher, vacancies=results.qs, on=timezone.localdate()
            )
            return page_of(request, vacancies)
        count = selectors.vacancy_public_search_count(search=results, version=version.results)
        return page_of(request, results.qs, count=count)

    context = {
        "filter": results,
        "page": SimpleLazyObject(results_page),
        "query": query,
        "cache_keys": {
            "form": f"{version.reference}:{query}",
            "results": None if only_qualifying else f"{version.results}:{request.GET.urlencode()}",
        },
        "teacher": teacher,
        "only_qualifying": only_qualifying,
        "save_form": SavedSearchForm() if teacher is not None else None,
    }
    return render(request, "vacancies/search.html", context)


def detail(request: HttpRequest, code) -> HttpResponse:
    vacancy = selectors.vacancy_public_get(code=code)
    teacher = _teacher_profile(request)
    qualification = (
        selectors.vacancy_qualification(teacher=teacher, vacancy=vacancy, on=timezone.localdate())
        if teacher is not None
        else None
    )
    context = {"vacancy": vacancy, "teacher": teacher, "qualification": qualification}
    return render(request, "vacancies/detail.html", context)


@bureau_viewer_required
def bureau_list(request: HttpRequest) -> HttpResponse:
    context = bureau_list_context(
        request,
        parts=("vacancies",),
        filterset=lambda: selectors.vacancy_filter_for_bureau(user=request.user, data=request.GET),
    )
    return render(request, "vacancies/bureau_list.html", context)


@bureau_viewer_required
def bureau_csv(request: HttpRequest) -> HttpResponse:
    vacancies = selectors.vacancy_list_for_bureau(user=request.user)

    def rows():
        yield [
            _("Title"),
            _("School"),
            _("District"),
            _("Subjects"),
            _("Status"),
            _("Posts"),
            _("Filled posts"),
            _("Weekly hours"),
            _("Contract start"),
            _("Contract end"),
            _("Salary (CNY/month)"),
            _("Cluster"),
        ]
        for vacancy in vacancies.iterator(chunk_size=1000):
            yield [
                vacancy.title,
                vacancy.school,
                vacancy.school.district,
                ", ".join(str(subject) for subject in vacancy.subjects.all()),
                vacancy.get_status_display(),
                vacancy.posts,
                vacancy.filled_posts,
                vacancy.weekly_hours,
                vacancy.contract_start.isoformat(),
                vacancy.contract_end.isoformat(),
                f"{vacancy.salary_min}–{vacancy.salary_max}",
                vacancy.cluster or "",
            ]

    return csv_response("vacancies", rows())


@teacher_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(
                user=request.user,
                name=form.cleaned_data["name"],
                query=request.POST.get("query", ""),
                email_alerts=form.cleaned_data["email_alerts"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Search saved: we will tell you about new matches."))
            return redirect("vacancies:saved_searches")
    context = {"form": form, "searches": selectors.saved_search_list(user=request.user)}
    return render(request, "vacancies/saved_searches.html", context)


@teacher_required
@require_POST
def saved_search_delete(request: HttpRequest, code) -> HttpResponse:
    services.saved_search_delete(user=request.user, code=code)
    messages.success(request, _("The saved search was deleted."))
    return redirect("vacancies:saved_searches")
